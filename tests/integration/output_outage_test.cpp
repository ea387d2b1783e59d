// The real agent delivering to network receivers that are down when collection runs and come back later: the other
// outputs are not held back, and every event reaches the receiver once it is up.
#include "support/http_receiver.hpp"
#include "support/syslog_receiver.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
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

}  // namespace
}  // namespace vigil
