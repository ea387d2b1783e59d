// Kills the real agent at random instants (SIGKILL: no cleanup, no flush) and at the worst one (after emit,
// before commit), restarting each time: at the end the jsonl output and the event store hold every event exactly once.
#include "store/event_store.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <random>
#include <thread>

namespace vigil {
namespace {

// id -> how many times it appears in the file; also checks every line is whole.
std::map<std::string, int> count_ids(const std::string& path) {
    std::map<std::string, int> counts;
    for (const auto& line : test::read_lines(path)) {
        EXPECT_EQ(line.front(), '{');
        EXPECT_EQ(line.back(), '}') << "a torn line: " << line;
        const size_t start = line.find("\"id\":\"") + 6;
        ++counts[line.substr(start, line.find('"', start) - start)];
    }
    return counts;
}

// id -> how many times it is in the event store (data_dir/events.db).
std::map<std::string, int> stored_ids(const std::string& data_dir) {
    const EventStore store(data_dir + "/events.db", true);
    EventQuery query;
    query.connector = "counter";
    std::map<std::string, int> counts;
    store.query(query, [&](const StoredEventView& event) {
        ++counts[std::string(event.id)];
        return true;
    });
    return counts;
}

void expect_exactly_once(const std::map<std::string, int>& counts, int total) {
    EXPECT_EQ(static_cast<int>(counts.size()), total);
    int duplicated = 0;
    for (const auto& [id, count] : counts) duplicated += count > 1 ? 1 : 0;
    EXPECT_EQ(duplicated, 0);
    for (int n = 0; n < total; ++n) EXPECT_EQ(counts.count("evt-" + std::to_string(n)), 1u) << "evt-" << n;
}

TEST(CrashRecovery, CrashBetweenEmitAndCommitLosesAndDuplicatesNothing) {
    test::TempDir dir;
    const std::string config = dir.file("vigil.yaml");
    const std::string settings = "total: 500, page_size: 40, overlap: 3";
    test::TempDir scratch;
    dir.write("vigil.yaml", test::counter_config(dir.path().string(), settings + ", crash_at: 217"));
    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--once"}, scratch.file("crash")), 3)
        << test::read_file(scratch.file("crash.err"));
    const auto before = count_ids(dir.file("events.jsonl"));
    EXPECT_LE(before.size(), 200u) << "nothing past the last committed page (index 200) may be out";
    dir.write("vigil.yaml", test::counter_config(dir.path().string(), settings));
    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--once"}, scratch.file("resume")), 0)
        << test::read_file(scratch.file("resume.err"));
    expect_exactly_once(count_ids(dir.file("events.jsonl")), 500);
    expect_exactly_once(stored_ids(dir.file("var")), 500);
}

TEST(CrashRecovery, TwentyRandomKillsLoseAndDuplicateNothing) {
    test::TempDir dir;
    test::TempDir scratch;
    const std::string config = dir.write("vigil.yaml", test::counter_config(dir.path().string(),
                                                                            "total: 40000, page_size: 50, overlap: 7, "
                                                                            "page_delay_ms: 2"));
    std::mt19937 random(20261127);
    int killed = 0;
    for (int round = 0; round < 20; ++round) {
        test::ChildProcess child = test::spawn({test::vigil_binary(), "run", "--config", config, "--once"},
                                               scratch.file("round" + std::to_string(round)));
        ASSERT_GT(child.pid, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 150)(random)));
        kill(child.pid, SIGKILL);
        const int code = test::wait_for_exit(child, 30'000);
        if (code == 128 + SIGKILL) ++killed;
    }
    // Each round gets at most ~150 ms of 2 ms pages: far from 800 pages, so every kill lands mid-collection.
    EXPECT_EQ(killed, 20) << "every round must really be cut short";
    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--once"}, scratch.file("final")), 0)
        << test::read_file(scratch.file("final.err"));
    expect_exactly_once(count_ids(dir.file("events.jsonl")), 40000);
    expect_exactly_once(stored_ids(dir.file("var")), 40000);
}

}  // namespace
}  // namespace vigil
