// The two commands as a user runs them: exit codes, messages on stderr, graceful stop on SIGTERM.
#include "crypto/sha256.hpp"
#include "support/test_support.hpp"

#include <vigil/plugin.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <thread>

namespace vigil {
namespace {

TEST(Cli, BadCommandLineExitsTwoWithUsage) {
    test::TempDir dir;
    EXPECT_EQ(test::run_vigil({"frobnicate"}, dir.file("o")), 2);
    EXPECT_NE(test::read_file(dir.file("o.err")).find("vigil: unknown command 'frobnicate'"), std::string::npos);
    EXPECT_EQ(test::run_vigil({"run"}, dir.file("o")), 2);
    EXPECT_NE(test::read_file(dir.file("o.err")).find("'run' needs --config FILE"), std::string::npos);
}

TEST(Cli, ValidateReportsEveryProblemAndExitsTwo) {
    test::TempDir dir;
    const std::string config =
        dir.write("vigil.yaml", "agent:\n  workers: 0\n  bogus: 1\noutputs:\n  - {type: nope}\n");
    EXPECT_EQ(test::run_vigil({"validate", "--config", config}, dir.file("o")), 2);
    const auto lines = test::read_lines(dir.file("o.err"));
    ASSERT_EQ(lines.size(), 4u) << test::read_file(dir.file("o.err"));
    EXPECT_EQ(lines[0], config +
                            ":3:3: unknown key 'bogus' in agent (expected one of: data_dir, plugin_dirs, log, "
                            "status, hooks, workers, dedupe_window, state_retention, graph, spool)");
    EXPECT_EQ(lines[1], config + ":2:12: 'workers' in agent must be from 1 to 64");
    EXPECT_EQ(lines[2], config +
                            ":5:12: unknown output type 'nope' (known: http, jsonl, kafka, store, syslog): install its "
                            "plugin in a plugin "
                            "folder or fix the type");
    EXPECT_EQ(lines[3], "vigil: 3 problem(s) in the configuration; nothing was started");
    // run refuses the same file the same way, and creates nothing.
    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--once"}, dir.file("r")), 2);
    EXPECT_FALSE(std::filesystem::exists(dir.file("var")));
}

TEST(Cli, APluginRefusingItsSettingsIsAConfigurationProblem) {
    test::TempDir dir;
    const std::string config =
        dir.write("vigil.yaml", test::counter_config(dir.path().string(), "total: 3, page_size: 2, overlap: 50"));
    EXPECT_EQ(test::run_vigil({"validate", "--config", config}, dir.file("o")), 2);
    const auto lines = test::read_lines(dir.file("o.err"));
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0], config +
                            ":14:11: connector 'counter' of tenant 11111111-1111-1111-1111-111111111111 refused "
                            "its settings: overlap (50) must not exceed ten pages (page_size 2)");
    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--once"}, dir.file("r")), 2)
        << "run refuses it the same way";
    EXPECT_FALSE(std::filesystem::exists(dir.file("var"))) << "nothing was started";
}

TEST(Cli, AnUnreadableConfigurationFileExitsTwoNamingIt) {
    test::TempDir dir;
    EXPECT_EQ(test::run_vigil({"validate", "--config", dir.file("missing.yaml")}, dir.file("o")), 2);
    EXPECT_EQ(test::read_lines(dir.file("o.err")).at(0),
              dir.file("missing.yaml") +
                  ": cannot read the configuration file: check the path and that the agent's "
                  "user may read it");
}

TEST(Cli, ValidateAcceptsAGoodConfiguration) {
    test::TempDir dir;
    const std::string config = dir.write("vigil.yaml", test::counter_config(dir.path().string(), "total: 3"));
    EXPECT_EQ(test::run_vigil({"validate", "--config", config}, dir.file("o")), 0)
        << test::read_file(dir.file("o.err"));
    EXPECT_EQ(test::read_file(dir.file("o.out")),
              config + ": valid: 1 organization(s), 1 source(s), 1 collection job(s), 2 output(s), 7 plugin(s)\n");
}

TEST(Cli, PluginsListShowsNameVersionAbiAndPath) {
    test::TempDir dir;
    const std::string config = dir.write("vigil.yaml", test::counter_config(dir.path().string(), "total: 3"));
    EXPECT_EQ(test::run_vigil({"plugins", "list", "--config", config}, dir.file("o")), 0);
    const std::string out = test::read_file(dir.file("o.out"));
    const std::string abi = "1." + std::to_string(VIGIL_ABI_MINOR);
    EXPECT_NE(out.find("jsonl               output     1.1.0     " + abi + "   (built-in)"), std::string::npos) << out;
    EXPECT_NE(
        out.find("counter             connector  1.0.0     " + abi + "   " + test::test_plugin_dir() + "/counter.so"),
        std::string::npos)
        << out;
    EXPECT_NE(out.find("    total (int, default 100): events in all"), std::string::npos) << out;
    const std::string digest = crypto::sha256_hex(test::read_file(test::test_plugin_dir() + "/counter.so"));
    EXPECT_NE(out.find(test::test_plugin_dir() + "/counter.so\n    sha256 " + digest + "\n"), std::string::npos) << out;
}

TEST(Cli, AnAllowListLoadsOnlyThePluginsItNames) {
    test::TempDir dir;
    const std::string counter = test::test_plugin_dir() + "/counter.so";
    const std::string digest = crypto::sha256_hex(test::read_file(counter));
    std::string allowed = test::counter_config(dir.path().string(), "total: 3");
    allowed.insert(allowed.find("credentials:"), "plugins:\n  allow: [" + digest + "]\n");
    const std::string config = dir.write("vigil.yaml", allowed);
    EXPECT_EQ(test::run_vigil({"validate", "--config", config}, dir.file("ok")), 0)
        << test::read_file(dir.file("ok.err"));
    // The other test plugin in the folder is not listed: not loaded, and said so; the agent runs without it.
    const std::string probe = test::test_plugin_dir() + "/graph_probe.so";
    EXPECT_NE(test::read_file(dir.file("ok.err"))
                  .find(probe + ": warning: its SHA-256 (" + crypto::sha256_hex(test::read_file(probe)) +
                        ") is not in plugins.allow, so it was not loaded"),
              std::string::npos)
        << test::read_file(dir.file("ok.err"));
    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--once"}, dir.file("run-ok")), 0);
    EXPECT_EQ(test::read_lines(dir.file("events.jsonl")).size(), 3u);

    const std::string other(64, 'a');
    std::string refused = test::counter_config(dir.path().string(), "total: 3");
    refused.insert(refused.find("credentials:"), "plugins:\n  allow: [" + other + "]\n");
    const std::string refusing = dir.write("refusing.yaml", refused);
    EXPECT_EQ(test::run_vigil({"validate", "--config", refusing}, dir.file("no")), 2);
    const std::string problems = test::read_file(dir.file("no.err"));
    EXPECT_NE(problems.find(counter + ": warning: its SHA-256 (" + digest +
                            ") is not in plugins.allow, so it was not loaded: if you trust this file, add the digest "
                            "to the list; otherwise remove it from the plugin folder"),
              std::string::npos)
        << problems;
    EXPECT_NE(problems.find("unknown connector 'counter'"), std::string::npos) << "what needed it is the error";
    EXPECT_EQ(test::run_vigil({"run", "--config", refusing, "--once"}, dir.file("run")), 2) << "nothing starts";

    const std::string malformed = dir.write("malformed.yaml", "plugins:\n  allow: [not-a-digest]\n");
    EXPECT_EQ(test::run_vigil({"validate", "--config", malformed}, dir.file("bad")), 2);
    EXPECT_NE(test::read_file(dir.file("bad.err"))
                  .find(malformed + ":2:10: each item of 'allow' in plugins must be a SHA-256 digest (64 hex digits, "
                                    "as `vigil plugins list` shows it), not 'not-a-digest'"),
              std::string::npos)
        << test::read_file(dir.file("bad.err"));
}

TEST(Cli, AnEventReportSaysWhenTheStoreIsOffOrNotThereYet) {
    test::TempDir dir;
    std::string text = test::counter_config(dir.path().string(), "total: 3");
    const std::string fresh = dir.write("fresh.yaml", text);
    EXPECT_EQ(test::run_vigil({"report", "activity", "--config", fresh}, dir.file("fresh")), 1);
    EXPECT_NE(test::read_file(dir.file("fresh.err"))
                  .find("vigil: the activity report failed: there is no event store at " + dir.path().string() +
                        "/var/events.db yet: run `vigil run --once`"),
              std::string::npos)
        << test::read_file(dir.file("fresh.err"));
    text.replace(text.find("{type: store, retention: 36500d}"), 32, "{type: store, enabled: false}");
    const std::string off = dir.write("off.yaml", text);
    EXPECT_EQ(test::run_vigil({"report", "logons", "--config", off}, dir.file("off")), 1);
    EXPECT_NE(test::read_file(dir.file("off.err"))
                  .find("vigil: the logons report failed: the event store is turned off in " + off +
                        " ({type: store, enabled: false}): the activity and logons reports read it"),
              std::string::npos)
        << test::read_file(dir.file("off.err"));
}

TEST(Cli, RunOnceCollectsAndExitsZero) {
    test::TempDir dir;
    const std::string config = dir.write("vigil.yaml", test::counter_config(dir.path().string(), "total: 12", "info"));
    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--once"}, dir.file("o")), 0)
        << test::read_file(dir.file("o.err"));
    EXPECT_EQ(test::read_lines(dir.file("events.jsonl")).size(), 12u);
    const std::string log = test::read_file(dir.file("vigil.log"));
    EXPECT_NE(log.find("run done: 12 stored, 0 duplicate, 0 filtered by hooks"), std::string::npos) << log;
    EXPECT_EQ(log.find(getenv("HOME")), std::string::npos) << "the secret must never be logged";
}

TEST(Cli, LuaHooksRunOnEveryEventBeforeItIsStored) {
    test::TempDir dir;
    dir.write("hooks/drop_odd.lua",
              "function on_event(event, ctx)\n"
              "  local n = tonumber(event.id:match('(%d+)$'))\n"
              "  if n % 2 == 1 then return nil end\n"
              "  event.what = ctx.params.prefix .. event.what\n"
              "  return event\n"
              "end\n");
    std::string config = test::counter_config(dir.path().string(), "total: 12", "info");
    config.replace(config.find("  log:"), 0,
                   "  hooks:\n    - {path: hooks/drop_odd.lua, params: {prefix: 'hooked-'}}\n");
    const std::string file = dir.write("vigil.yaml", config);
    EXPECT_EQ(test::run_vigil({"run", "--config", file, "--once"}, dir.file("o")), 0)
        << test::read_file(dir.file("o.err"));
    const auto lines = test::read_lines(dir.file("events.jsonl"));
    EXPECT_EQ(lines.size(), 6u) << "the odd ones dropped";
    for (const auto& line : lines) EXPECT_NE(line.find("\"what\":\"hooked-"), std::string::npos) << line;
    EXPECT_NE(test::read_file(dir.file("vigil.log")).find("6 filtered by hooks"), std::string::npos);

    // A script that does not compile is a configuration problem, named with its place.
    dir.write("hooks/drop_odd.lua", "function on_event(event)\n  return event\n");
    EXPECT_EQ(test::run_vigil({"validate", "--config", file}, dir.file("v")), 2);
    const std::string problems = test::read_file(dir.file("v.err"));
    EXPECT_NE(problems.find("vigil.yaml:5:14: hook "), std::string::npos) << problems;
    EXPECT_NE(problems.find("drop_odd.lua:3: 'end' expected"), std::string::npos) << problems;
    EXPECT_NE(problems.find("fix the script"), std::string::npos) << problems;
}

TEST(Cli, SigtermStopsGracefullyWithinSeconds) {
    test::TempDir dir;
    // Endless enough: 100 pages of 100 events, 50 ms apart, then a long interval.
    const std::string config = dir.write(
        "vigil.yaml", test::counter_config(dir.path().string(),
                                           "total: 10000, page_size: 100, page_delay_ms: 50, interval: 1h", "info"));
    test::ChildProcess child = test::spawn({test::vigil_binary(), "run", "--config", config}, dir.file("o"));
    ASSERT_GT(child.pid, 0);
    // The first run starts after a small jitter; stop once events are flowing.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (test::read_lines(dir.file("events.jsonl")).size() < 300 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const auto before = std::chrono::steady_clock::now();
    kill(child.pid, SIGTERM);
    EXPECT_EQ(test::wait_for_exit(child, 10'000), 0) << test::read_file(dir.file("o.err"));
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(3));
    // What was committed before the stop was delivered: the file holds whole pages, nothing torn.
    const auto lines = test::read_lines(dir.file("events.jsonl"));
    EXPECT_GT(lines.size(), 0u);
    EXPECT_LT(lines.size(), 10000u);
    EXPECT_EQ(lines.size() % 100, 0u);
    const std::string log = test::read_file(dir.file("vigil.log"));
    EXPECT_NE(log.find("stopping"), std::string::npos);
    EXPECT_NE(log.find("agent stopped"), std::string::npos);
}

// A process that exited may stay a zombie until its parent (init, here) reaps it: that is not running.
bool running(pid_t pid) {
    if (kill(pid, 0) != 0) return false;
    const std::string status = test::read_file("/proc/" + std::to_string(pid) + "/status");
    return status.find("State:\tZ") == std::string::npos;
}

TEST(Cli, RunsAsADaemonUntilItsPidIsSignalled) {
    test::TempDir dir;
    const std::string config =
        dir.write("vigil.yaml", test::counter_config(dir.path().string(), "total: 30, interval: 1h", "info"));
    const std::string pid_file = dir.file("vigil.pid");
    ASSERT_EQ(
        test::run_vigil({"run", "--config", config, "--daemon", "--pidfile", pid_file}, dir.file("start"), 20'000), 0)
        << test::read_file(dir.file("start.err"));
    const std::string pid_text = test::read_file(pid_file);
    ASSERT_FALSE(pid_text.empty()) << "the pid file is written before the starter returns";
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    EXPECT_TRUE(running(pid));
    EXPECT_EQ(test::read_file(dir.file("start.out")), "") << "a daemon prints nothing: its log is the file";
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (test::read_lines(dir.file("events.jsonl")).size() < 30 && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(test::read_lines(dir.file("events.jsonl")).size(), 30u) << test::read_file(dir.file("vigil.log"));

    // A second daemon on the same pid file is refused while the first runs.
    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--daemon", "--pidfile", pid_file}, dir.file("again")), 1);
    EXPECT_NE(test::read_file(dir.file("again.err"))
                  .find("vigil: another process (pid " + std::to_string(pid) + ") holds " + pid_file),
              std::string::npos)
        << test::read_file(dir.file("again.err"));

    ASSERT_EQ(kill(pid, SIGTERM), 0);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (running(pid) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_FALSE(running(pid));
    EXPECT_FALSE(std::filesystem::exists(pid_file)) << "the daemon removes its pid file";
    EXPECT_NE(test::read_file(dir.file("vigil.log")).find("agent stopped"), std::string::npos);

    EXPECT_EQ(test::run_vigil({"run", "--config", config, "--daemon"}, dir.file("nopid")), 2);
    EXPECT_NE(test::read_file(dir.file("nopid.err")).find("--daemon and --pidfile FILE go together"),
              std::string::npos);
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

TEST(Cli, CertGenerateWritesAPrivateKeyAndACertificateWithItsThumbprints) {
    test::TempDir dir;
    const std::string out = dir.file("certs");
    ASSERT_EQ(test::run_vigil({"cert", "generate", "--out", out, "--days", "30"}, dir.file("o")), 0)
        << test::read_file(dir.file("o.err"));
    using std::filesystem::perms;
    EXPECT_EQ(std::filesystem::status(out + "/vigil-app.key").permissions() & (perms::group_all | perms::others_all),
              perms::none);
    // The thumbprints printed are the certificate's, as openssl computes them.
    const std::string printed = test::read_file(dir.file("o.out"));
    ASSERT_EQ(std::system(("openssl x509 -in " + out + "/vigil-app.crt -noout -fingerprint -sha1 > " +
                           dir.file("sha1") + " && openssl x509 -inform DER -in " + out +
                           "/vigil-app.cer -noout -checkend 2500000 > /dev/null && "
                           "openssl x509 -in " +
                           out +
                           "/vigil-app.crt -noout -checkend 2600000 > /dev/null; "
                           "test $? -eq 1")
                              .c_str()),
              0)
        << "valid for 30 days: still valid in 29 (2.5 M s), no longer in 30.1 (2.6 M s)";
    std::string sha1 = test::read_file(dir.file("sha1"));  // "sha1 Fingerprint=AB:CD:..."
    sha1 = sha1.substr(sha1.find('=') + 1);
    sha1.erase(std::remove(sha1.begin(), sha1.end(), ':'), sha1.end());
    sha1.erase(std::remove(sha1.begin(), sha1.end(), '\n'), sha1.end());
    EXPECT_NE(printed.find("SHA-1 thumbprint (shown by the portal): " + sha1), std::string::npos) << printed;
    // The key and the certificate belong together.
    EXPECT_EQ(
        std::system(("test \"$(openssl x509 -in " + out + "/vigil-app.crt -noout -pubkey)\" = \"$(openssl pkey -in " +
                     out + "/vigil-app.key -pubout)\"")
                        .c_str()),
        0);
    // A second run never overwrites a key.
    EXPECT_EQ(test::run_vigil({"cert", "generate", "--out", out}, dir.file("again")), 2);
    EXPECT_NE(test::read_file(dir.file("again.err")).find("vigil-app.key exists already"), std::string::npos);
}

}  // namespace
}  // namespace vigil
