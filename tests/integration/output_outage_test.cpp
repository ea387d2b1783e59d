// The real agent delivering to network receivers that are down when collection runs and come back later: the other
// outputs are not held back, and every event reaches the receiver once it is up.
#include "support/http_receiver.hpp"
#include "support/syslog_receiver.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>
#include <thread>

namespace vigil {
namespace {

using namespace std::chrono_literals;

std::map<std::string, int> ids_in(const std::vector<std::string>& messages) {
    std::map<std::string, int> counts;
    for (const auto& message : messages) {
        const size_t start = message.find("\"id\":\"") + 6;
        ++counts[message.substr(start, message.find('"', start) - start)];
    }
    return counts;
}

std::vector<std::string> record_ids_in_lines(const std::vector<std::string>& lines) {
    std::vector<std::string> ids;
    for (const auto& line : lines) {
        const size_t start = line.find("\"id\":\"") + 6;
        ids.push_back(line.substr(start, line.find('"', start) - start));
    }
    return ids;
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    for (auto waited = 0ms; waited < timeout; waited += 100ms) {
        if (done()) return true;
        std::this_thread::sleep_for(100ms);
    }
    return done();
}

TEST(SyslogDelivery, AReceiverDownWhileCollectingGetsEveryEventWhenItComesBack) {
    test::TempDir dir;
    test::SyslogReceiver receiver(test::SyslogReceiver::Kind::tcp);
    receiver.start();  // to learn its port...
    receiver.stop();   // ...then down
    const std::string config =
        dir.write("vigil.yaml", test::counter_config(dir.path().string(), "total: 3000, page_size: 100", "info") +
                                    "  - {type: syslog, address: 127.0.0.1:" + std::to_string(receiver.port()) +
                                    ", hostname: collector-1}\n");
    test::ChildProcess child =
        test::spawn({test::vigil_binary(), "run", "--config", config, "--once"}, dir.file("run"));
    // The jsonl output is not held back by the broken one: it gets everything while the receiver is down.
    EXPECT_TRUE(wait_until([&] { return test::read_lines(dir.file("events.jsonl")).size() == 3000; }, 60s));
    const std::string refused = "syslog receiver tcp://127.0.0.1:" + std::to_string(receiver.port());
    EXPECT_TRUE(
        wait_until([&] { return test::read_file(dir.file("vigil.log")).find(refused) != std::string::npos; }, 30s))
        << test::read_file(dir.file("vigil.log"));
    receiver.start();
    EXPECT_EQ(test::wait_for_exit(child, 120'000), 0) << test::read_file(dir.file("vigil.log"));
    const auto counts = ids_in(receiver.messages());
    EXPECT_EQ(counts.size(), 3000u);
    for (int n = 0; n < 3000; ++n) EXPECT_EQ(counts.count("evt-" + std::to_string(n)), 1u) << "evt-" << n;
    int repeated = 0;
    for (const auto& [id, count] : counts) repeated += count > 1 ? 1 : 0;
    EXPECT_EQ(repeated, 0);  // batches failed before any byte went out: nothing was sent twice
    EXPECT_EQ(receiver.framing_error(), "");
    // Raw records stay out of SIEM feeds unless asked for.
    EXPECT_EQ(receiver.messages().front().find("\"raw\""), std::string::npos) << receiver.messages().front();
}

TEST(HttpDelivery, AnElasticsearchDownWhileCollectingGetsEveryEventOnceWhenItComesBack) {
    test::TempDir dir;
    ::setenv("VIGIL_TEST_HTTP_TOKEN", "tok-7f3a9c", 1);  // the agent inherits it
    test::HttpReceiver receiver;
    receiver.bulk_mode();
    receiver.throttle_once("evt-1234");  // and one item throttled on the way
    receiver.start();
    receiver.stop();
    const std::string config =
        dir.write("vigil.yaml", test::counter_config(dir.path().string(), "total: 3000, page_size: 100", "info") +
                                    "  - {type: http, mode: elasticsearch, url: " + receiver.url("/_bulk") +
                                    ", token: \"${env:VIGIL_TEST_HTTP_TOKEN}\"}\n");
    test::ChildProcess child =
        test::spawn({test::vigil_binary(), "run", "--config", config, "--once"}, dir.file("run"));
    EXPECT_TRUE(wait_until([&] { return test::read_lines(dir.file("events.jsonl")).size() == 3000; }, 60s));
    const std::string refused = "POST " + receiver.url("/_bulk") + " failed";
    EXPECT_TRUE(
        wait_until([&] { return test::read_file(dir.file("vigil.log")).find(refused) != std::string::npos; }, 30s))
        << test::read_file(dir.file("vigil.log"));
    receiver.start();
    EXPECT_EQ(test::wait_for_exit(child, 120'000), 0) << test::read_file(dir.file("vigil.log"));
    std::map<std::string, int> counts;
    for (const auto& id : receiver.accepted_ids()) ++counts[id];
    EXPECT_EQ(counts.size(), 3000u);
    for (int n = 0; n < 3000; ++n) EXPECT_EQ(counts["evt-" + std::to_string(n)], 1) << "evt-" << n;
    const auto requests = receiver.requests();
    ASSERT_FALSE(requests.empty());
    EXPECT_EQ(requests.front().headers.at("authorization"), "ApiKey tok-7f3a9c");
    EXPECT_EQ(requests.front().body.find("\"raw\""), std::string::npos);
    EXPECT_EQ(test::read_file(dir.file("vigil.log")).find("tok-7f3a9c"), std::string::npos)
        << "the token is in the log";
}

// A configuration for total counter events, delivered to jsonl, the store and a syslog receiver, with the spool's
// budget at 1 MB.
std::string budget_config(const std::string& dir, const test::SyslogReceiver& receiver, const std::string& when_full,
                          int total) {
    std::string config = test::counter_config(dir, "total: " + std::to_string(total) + ", page_size: 100", "info") +
                         "  - {type: syslog, address: 127.0.0.1:" + std::to_string(receiver.port()) + "}\n";
    const std::string agent = "agent:\n";
    config.insert(config.find(agent) + agent.size(), "  spool: {budget_mb: 1, when_full: " + when_full + "}\n");
    return config;
}

// The events an output reported lost in the log ("output 'NAME' lost N events").
int lost_in_log(const std::string& log, const std::string& output) {
    int lost = 0;
    const std::string marker = "output '" + output + "' lost ";
    for (size_t at = log.find(marker); at != std::string::npos; at = log.find(marker, at + 1))
        lost += std::stoi(log.substr(at + marker.size()));
    return lost;
}

TEST(SpoolBudget, ABackedUpOutputPausesCollectionWhichResumesWhenItCatchesUpLosingNothing) {
    test::TempDir dir;
    test::SyslogReceiver receiver(test::SyslogReceiver::Kind::tcp);
    receiver.start();
    receiver.stop();
    constexpr int kTotal = 6000;  // about 3 MB in the spool: three times its budget
    const std::string config = dir.write("vigil.yaml", budget_config(dir.path().string(), receiver, "pause", kTotal));
    test::ChildProcess first =
        test::spawn({test::vigil_binary(), "run", "--config", config, "--once"}, dir.file("first"));
    const auto log = [&] { return test::read_file(dir.file("vigil.log")); };
    EXPECT_TRUE(
        wait_until([&] { return log().find("collection pauses until it catches up") != std::string::npos; }, 60s))
        << log();
    EXPECT_NE(log().find("output 'syslog' is "), std::string::npos) << log();
    EXPECT_LT(test::read_lines(dir.file("events.jsonl")).size(), static_cast<size_t>(kTotal));
    receiver.start();
    EXPECT_EQ(test::wait_for_exit(first, 120'000), 1) << log();  // its collection run did not finish
    // Its summary says the job paused, and why (not that the source failed).
    const std::string summary = test::read_file(dir.file("first.out"));
    EXPECT_NE(summary.find("counter    paused"), std::string::npos) << summary;
    EXPECT_EQ(summary.find("Failed ("), std::string::npos) << summary;
    // The next cycle collects the rest from the checkpoint the paused run left.
    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--once"}, dir.file("second")), 0) << log();
    std::map<std::string, int> in_file;
    for (const auto& id : record_ids_in_lines(test::read_lines(dir.file("events.jsonl")))) ++in_file[id];
    EXPECT_EQ(in_file.size(), static_cast<size_t>(kTotal));
    for (const auto& [id, count] : in_file) EXPECT_EQ(count, 1) << id;
    EXPECT_EQ(ids_in(receiver.messages()).size(), static_cast<size_t>(kTotal));
    EXPECT_EQ(lost_in_log(log(), "syslog"), 0);
}

TEST(SpoolBudget, DropOldestKeepsCollectingAndCountsEveryEventAnOutputLost) {
    test::TempDir dir;
    test::SyslogReceiver receiver(test::SyslogReceiver::Kind::tcp);
    receiver.start();
    receiver.stop();
    constexpr int kTotal = 6000;
    const std::string config =
        dir.write("vigil.yaml", budget_config(dir.path().string(), receiver, "drop_oldest", kTotal));
    test::ChildProcess run = test::spawn({test::vigil_binary(), "run", "--config", config, "--once"}, dir.file("run"));
    const auto log = [&] { return test::read_file(dir.file("vigil.log")); };
    EXPECT_TRUE(wait_until([&] { return log().find("output 'syslog' lost ") != std::string::npos; }, 60s)) << log();
    receiver.start();
    EXPECT_EQ(test::wait_for_exit(run, 120'000), 0) << log();
    const int lost = lost_in_log(log(), "syslog");
    EXPECT_GT(lost, 0);
    // The summary's outputs table counts them too: OUTPUT TYPE BACKLOG FAILURES DROPPED ...
    std::vector<std::string> columns;
    for (const auto& line : test::read_lines(dir.file("run.out"))) {
        if (line.rfind("syslog ", 0) != 0) continue;
        std::istringstream words(line);
        for (std::string word; words >> word;) columns.push_back(word);
    }
    ASSERT_GE(columns.size(), 5u) << test::read_file(dir.file("run.out"));
    EXPECT_EQ(columns[2], "0") << "everything left was delivered";
    EXPECT_EQ(columns[4], std::to_string(lost));
    EXPECT_EQ(static_cast<int>(ids_in(receiver.messages()).size()) + lost, kTotal) << log();
    EXPECT_EQ(static_cast<int>(test::read_lines(dir.file("events.jsonl")).size()) + lost_in_log(log(), "jsonl"),
              kTotal);
}

}  // namespace
}  // namespace vigil
