// SIGHUP while collecting: sources added, changed and removed take effect without a restart, checkpoints carry
// over (nothing collected twice, nothing lost), and an invalid configuration is refused with its problems while the
// running one goes on.
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <thread>

namespace vigil {
namespace {

const std::string kTenantA = "11111111-1111-1111-1111-111111111111";
const std::string kTenantB = "22222222-2222-2222-2222-222222222222";

std::string source(const std::string& tenant, const std::string& counter) {
    return "      - type: entra_id\n        tenant_id: " + tenant +
           "\n        credentials: app\n        connectors:\n          counter: {interval: 1s, " + counter + "}\n";
}

std::string config(const std::string& dir, const std::string& sources) {
    return "agent:\n  data_dir: " + dir + "/var\n  plugin_dirs: [" + test::test_plugin_dir() +
           "]\n  log: {level: info, file: " + dir +
           "/vigil.log}\ncredentials:\n"
           "  - {name: app, client_id: 00000000-0000-0000-0000-000000000000, client_secret: \"${env:HOME}\"}\n"
           "organizations:\n  - name: Contoso\n    sources:\n" +
           sources + "outputs:\n  - {type: jsonl, path: " + dir + "/events.jsonl}\n";
}

bool wait_until(const std::function<bool()>& condition, int timeout_ms = 60'000) {
    for (int waited = 0; waited < timeout_ms; waited += 50) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return condition();
}

size_t count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

TEST(Reload, SourcesComeChangeAndGoWithoutLosingOrRepeatingAnEvent) {
    test::TempDir dir;
    const std::string d = dir.path().string();
    const std::string file =
        dir.write("vigil.yaml", config(d, source(kTenantA, "total: 300, page_size: 10, page_delay_ms: 30")));
    test::ChildProcess agent = test::spawn({test::vigil_binary(), "run", "--config", file}, dir.file("agent"));
    const auto log = [&] { return test::read_file(d + "/vigil.log"); };
    const auto ids = [&] {
        std::map<std::string, int> seen;
        for (const auto& line : test::read_lines(d + "/events.jsonl")) {
            const size_t start = line.find("\"id\":\"") + 6;
            ++seen[line.substr(start, line.find('"', start) - start)];
        }
        return seen;
    };
    ASSERT_TRUE(wait_until([&] { return test::read_lines(d + "/events.jsonl").size() >= 50; })) << log();

    // Mid-run: tenant A gets more events to collect, tenant B appears.
    dir.write("vigil.yaml", config(d, source(kTenantA, "total: 600, page_size: 10, page_delay_ms: 5") +
                                          source(kTenantB, "total: 100, page_size: 10, prefix: b-")));
    ASSERT_EQ(kill(agent.pid, SIGHUP), 0);
    EXPECT_TRUE(wait_until([&] { return ids().size() == 700; })) << ids().size() << "\n" << log();
    // Info lines reach the file within the logger's 2 s flush.
    EXPECT_TRUE(wait_until([&] {
        return log().find("configuration reloaded: 2 collection jobs") != std::string::npos;
    })) << log();

    // A configuration with a problem is refused, named, and the agent goes on.
    const std::string good = test::read_file(file);
    dir.write("vigil.yaml", good + "bogus: 1\n");
    ASSERT_EQ(kill(agent.pid, SIGHUP), 0);
    EXPECT_TRUE(wait_until([&] { return log().find("the running configuration stays") != std::string::npos; }))
        << log();
    EXPECT_NE(log().find("unknown key 'bogus'"), std::string::npos) << log();
    EXPECT_EQ(kill(agent.pid, 0), 0) << "still running";
    EXPECT_EQ(count(log(), "configuration reloaded"), 1u);

    // Tenant B goes away again.
    dir.write("vigil.yaml", config(d, source(kTenantA, "total: 600, page_size: 10")));
    ASSERT_EQ(kill(agent.pid, SIGHUP), 0);
    EXPECT_TRUE(wait_until([&] {
        return log().find("configuration reloaded: 1 collection jobs") != std::string::npos;
    })) << log();

    ASSERT_EQ(kill(agent.pid, SIGTERM), 0);
    EXPECT_EQ(test::wait_for_exit(agent, 30'000), 0) << log() << test::read_file(dir.file("agent.err"));
    const auto seen = ids();
    EXPECT_EQ(seen.size(), 700u);
    for (int i = 0; i < 600; ++i) EXPECT_EQ(seen.count("evt-" + std::to_string(i)), 1u) << "evt-" << i;
    for (int i = 0; i < 100; ++i) EXPECT_EQ(seen.count("b-" + std::to_string(i)), 1u) << "b-" << i;
    for (const auto& [id, times] : seen) EXPECT_EQ(times, 1) << id << " delivered " << times << " times";
}

}  // namespace
}  // namespace vigil
