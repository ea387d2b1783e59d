// The shipped service-account hook (config/hooks/service_accounts.lua) in the real agent against the emulator: the
// same tenant collected twice, without and with it. With it, exactly the events whose actor is a transitive member
// of the "Service Accounts" group (the emulator's ground truth, nested groups included) are missing, and nothing else.
#include "emulator.hpp"
#include "support/billable_accounts.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <functional>
#include <map>
#include <set>
#include <thread>

namespace vigil {
namespace {

const std::string kTenant = "5e000001-0000-4000-8000-000000000001";
const std::string kApp = "00000000-0000-0000-0000-0000000000e5";

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

class ServiceAccountsTest : public testing::Test {
protected:
    void SetUp() override {
        emulator::Tenant tenant;
        tenant.id = kTenant;
        tenant.domain = "contoso.example";
        tenant.applications = {emulator::Application(kApp, "s3cret", false, "")};
        tenant.directory.users = 150;
        tenant.directory.groups = 8;
        tenant.audit_records = 300;
        tenant.signin_records = 400;
        tenant.records_from_offset_ms = -(300 * 1000LL + 3000);
        emulator::Scenario scenario;
        scenario.tenants = {tenant};
        emulator_ = std::make_unique<emulator::GraphEmulator>(
            emulator::GraphEmulator::Options{dir_.file("emulator"), scenario, 0});
        setenv("VIGIL_TEST_SA_SECRET", "s3cret", 1);
    }

    // Collects once into its own data folder; returns id -> who of every event written.
    std::map<std::string, std::string> collect(const std::string& name, bool with_hook) {
        const std::string d = dir_.path().string() + "/" + name;
        std::string hooks;
        if (with_hook) {
            hooks = "  hooks:\n    - {path: " + test::source_dir() + "/config/hooks/service_accounts.lua}\n";
        }
        const std::string config = dir_.write(
            name + ".yaml",
            "agent:\n  data_dir: " + d + "/var\n  plugin_dirs: [" + test::plugin_dir() +
                "]\n  log: {level: info, file: " + d + ".log}\n  graph: {requests: 1000, window: 1s}\n" + hooks +
                "credentials:\n  - {name: app, client_id: " + kApp +
                ", client_secret: \"${env:VIGIL_TEST_SA_SECRET}\"}\norganizations:\n  - name: Contoso\n    sources:\n"
                "      - type: entra_id\n        tenant_id: " +
                kTenant + "\n        credentials: app\n        service_account_groups: [Service Accounts]\n" +
                "        endpoints: {login: " + emulator_->base_url() + ", graph: " + emulator_->base_url() +
                "}\n        tls: {ca_file: " + emulator_->ca_file() +
                "}\n        connectors:\n          entra_activity: {lag: 0s, backfill: 1h, chunk: 10m}\n"
                "          entra_logons: {lag: 0s, backfill: 1h, chunk: 10m}\n"
                "outputs:\n  - {type: jsonl, path: " +
                d + "/events.jsonl}\n");
        EXPECT_EQ(test::run_vigil({"run", "--config", config, "--once"}, dir_.file(name)), 0)
            << test::read_file(d + ".log");
        std::map<std::string, std::string> events;
        for (const auto& line : test::read_lines(d + "/events.jsonl")) {
            const auto event = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
            events[event->getValue<std::string>("id")] = event->getValue<std::string>("who");
        }
        return events;
    }

    // The same source collected by `vigil run` (not --once): one connector every second, until `until` holds of
    // the agent's log or 60 s pass. Returns the log.
    std::string keep_running(const std::string& name, const std::string& connector,
                             const std::function<bool(const std::string& log)>& until) {
        const std::string d = dir_.path().string() + "/" + name;
        const std::string config = dir_.write(
            name + ".yaml",
            "agent:\n  data_dir: " + d + "/var\n  plugin_dirs: [" + test::plugin_dir() + ", " +
                test::test_plugin_dir() + "]\n  log: {level: info, file: " + d +
                ".log}\n  graph: {requests: 1000, window: 1s}\n" + "credentials:\n  - {name: app, client_id: " + kApp +
                ", client_secret: \"${env:VIGIL_TEST_SA_SECRET}\"}\norganizations:\n  - name: Contoso\n    sources:\n"
                "      - type: entra_id\n        tenant_id: " +
                kTenant + "\n        credentials: app\n        service_account_groups: [Service Accounts]\n" +
                "        endpoints: {login: " + emulator_->base_url() + ", graph: " + emulator_->base_url() +
                "}\n        tls: {ca_file: " + emulator_->ca_file() + "}\n        connectors:\n          " + connector +
                "\noutputs:\n  - {type: jsonl, path: " + d + "/events.jsonl}\n");
        test::ChildProcess child = test::spawn({test::vigil_binary(), "run", "--config", config}, dir_.file(name));
        std::string log;
        for (int waited_ms = 0; waited_ms < 60'000; waited_ms += 100) {
            log = test::read_file(d + ".log");
            if (until(log)) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        kill(child.pid, SIGTERM);
        EXPECT_EQ(test::wait_for_exit(child, 30'000), 0) << test::read_file(child.stderr_file) << log;
        return test::read_file(d + ".log");
    }

    // How many times the agent read the members of a group (the service accounts' resolution).
    size_t member_reads() const {
        size_t reads = 0;
        for (const auto& request : emulator_->requests())
            reads += request.path.find("/transitiveMembers") != std::string::npos;
        return reads;
    }

    static size_t count(const std::string& text, const std::string& what) {
        size_t n = 0;
        for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
        return n;
    }

    test::TempDir dir_;
    std::unique_ptr<emulator::GraphEmulator> emulator_;
};

TEST_F(ServiceAccountsTest, ExactlyTheServiceAccountsEventsAreLeftOut) {
    // Ground truth: the transitive members of "Service Accounts", by user principal name.
    std::set<std::string> service_accounts;
    emulator_->directory(kTenant).read([&](const emulator::Directory& d) {
        for (const auto& group : d.groups()) {
            if (group.display_name != "Service Accounts") continue;
            for (const auto& id : d.transitive_members(group.id)) {
                if (const auto* user = d.find_user(id)) service_accounts.insert(lower(user->user_principal_name));
            }
        }
    });
    ASSERT_FALSE(service_accounts.empty());

    const auto all = collect("without", false);
    const auto kept = collect("with", true);
    std::set<std::string> expected, by_service_accounts;
    for (const auto& [id, who] : all) {
        (service_accounts.count(lower(who)) ? by_service_accounts : expected).insert(id);
    }
    ASSERT_FALSE(by_service_accounts.empty()) << "the scenario must have service accounts acting";
    std::set<std::string> got;
    for (const auto& [id, who] : kept) got.insert(id);
    EXPECT_EQ(got, expected) << "every other event kept, every service account's left out";
    const std::string log = test::read_file(dir_.path().string() + "/with.log");
    EXPECT_NE(log.find("service accounts: " + std::to_string(service_accounts.size()) + " members"), std::string::npos)
        << log;
}

TEST_F(ServiceAccountsTest, AnUnknownGroupIsSaidAndNothingIsLeftOut) {
    // The same collection with a group name the tenant does not have.
    auto all = collect("baseline", false);
    // Rewrite the group name in a copy of the configuration the helper writes.
    const std::string d = dir_.path().string() + "/unknown";
    std::string config = test::read_file(dir_.file("baseline.yaml"));
    config.replace(config.find("[Service Accounts]"), 18, "[No Such Group]");
    config.replace(config.find("  graph:"), 0,
                   "  hooks:\n    - {path: " + test::source_dir() + "/config/hooks/service_accounts.lua}\n");
    for (size_t at; (at = config.find(dir_.path().string() + "/baseline")) != std::string::npos;) {
        config.replace(at, (dir_.path().string() + "/baseline").size(), d);
    }
    const std::string file = dir_.write("unknown.yaml", config);
    EXPECT_EQ(test::run_vigil({"run", "--config", file, "--once"}, dir_.file("unknown")), 0);
    EXPECT_EQ(test::read_lines(d + "/events.jsonl").size(), all.size()) << "nothing left out";
    // doctor says it before any collection, and so does it for the right name.
    EXPECT_EQ(test::run_vigil({"doctor", "--config", file}, dir_.file("doctor-unknown")), 1);
    EXPECT_NE(test::read_file(dir_.file("doctor-unknown.out"))
                  .find("FAILED: no group named 'No Such Group' in the tenant: fix service_account_groups"),
              std::string::npos)
        << test::read_file(dir_.file("doctor-unknown.out"));
    EXPECT_EQ(test::run_vigil({"doctor", "--config", dir_.file("baseline.yaml")}, dir_.file("doctor")), 0)
        << test::read_file(dir_.file("doctor.out"));
    EXPECT_NE(test::read_file(dir_.file("doctor.out")).find("service_account_groups"), std::string::npos);
    EXPECT_NE(test::read_file(dir_.file("doctor.out")).find(" service accounts"), std::string::npos);
    // Billable accounts: enabled and licensed users, less the service accounts among them (ground truth).
    const auto [enabled_licensed, service] = test::expected_billable(*emulator_, kTenant, "Service Accounts");
    ASSERT_GT(service, 0u);
    const std::string expected = "ok: " + std::to_string(enabled_licensed - service) + " (" +
                                 std::to_string(enabled_licensed) + " enabled and licensed, " +
                                 std::to_string(service) + " of them service accounts)";
    EXPECT_NE(test::read_file(dir_.file("doctor.out")).find(expected), std::string::npos)
        << expected << "\n"
        << test::read_file(dir_.file("doctor.out"));
    EXPECT_NE(test::read_file(d + ".log").find("service-account group 'No Such Group' does not exist in tenant"),
              std::string::npos)
        << test::read_file(d + ".log");
}

TEST_F(ServiceAccountsTest, EachStateSnapshotResolvesThemAgain) {
    // Entra State snapshots at most every minute; the test connector opens an (empty) snapshot every second, which
    // is all the host looks at.
    std::string group, newcomer;
    size_t members = 0;
    emulator_->directory(kTenant).read([&](const emulator::Directory& d) {
        for (const auto& g : d.groups()) {
            if (g.display_name == "Service Accounts") group = g.id;
        }
        members = d.transitive_members(group).size();
        const auto in_group = d.transitive_members(group);
        for (const auto& user : d.users()) {
            if (std::find(in_group.begin(), in_group.end(), user.id) == in_group.end()) newcomer = user.id;
        }
    });
    ASSERT_FALSE(group.empty());
    ASSERT_FALSE(newcomer.empty());
    const std::string before = "service accounts: " + std::to_string(members) + " members";
    const std::string after = "service accounts: " + std::to_string(members + 1) + " members";
    bool added = false;
    const std::string log = keep_running(
        "state", "graph_probe: {interval: 1s, snapshot: true, path: \"/v1.0/auditLogs/directoryAudits?$top=50\"}",
        [&](const std::string& text) {
            // A user joins the group once the first snapshot is in; the next snapshot knows it, well within the hour
            // the periodic refresh waits.
            if (!added && count(text, "state snapshot") >= 1) {
                added = emulator_->directory(kTenant).add_member(group, newcomer);
            }
            return text.find(after) != std::string::npos;
        });
    EXPECT_TRUE(added);
    EXPECT_NE(log.find(before), std::string::npos) << log;
    EXPECT_NE(log.find(after), std::string::npos) << log;
    EXPECT_GE(count(log, "service accounts: "), 2u) << log;
    EXPECT_EQ(count(log, "service accounts: "), member_reads()) << "one log line per resolution";
}

TEST_F(ServiceAccountsTest, OtherConnectorsResolveThemHourly) {
    // Three runs of the Logons connector in a row: the first resolves the service accounts, the others use them.
    const std::string log = keep_running("logons", "entra_logons: {interval: 1s, lag: 0s, backfill: 1h}",
                                         [](const std::string& text) { return count(text, "run done") >= 3; });
    EXPECT_GE(count(log, "run done"), 3u) << log;
    EXPECT_EQ(count(log, "service accounts: "), 1u) << log;
    EXPECT_EQ(member_reads(), 1u);
}

}  // namespace
}  // namespace vigil
