// The real agent against the emulator: a plugin lists directoryAudits through the host's Graph access, over TLS,
// with tokens, paging and throttling, and every record lands in the jsonl output exactly once.
#include "emulator.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <map>

namespace vigil {
namespace {

const std::string kTenant = "55555555-5555-5555-5555-555555555555";
const std::string kApp = "00000000-0000-0000-0000-0000000000e1";
const std::string kUnconsented = "00000000-0000-0000-0000-0000000000e2";

class GraphEndToEnd : public testing::Test {
protected:
    void SetUp() override {
        emulator::Tenant tenant;
        tenant.id = kTenant;
        tenant.domain = "fabrikam.example";
        tenant.audit_records = 2200;
        tenant.faults.throttle_every = 3;
        tenant.faults.retry_after = "0.2";
        emulator::Application unconsented(kUnconsented, "s3cret", false, "");
        unconsented.all_permissions = false;
        tenant.applications = {emulator::Application(kApp, "s3cret", false, ""), unconsented};
        emulator::Scenario scenario;
        scenario.tenants = {tenant};
        emulator_ = std::make_unique<emulator::GraphEmulator>(
            emulator::GraphEmulator::Options{dir_.file("emulator"), scenario, 0});
        setenv("VIGIL_TEST_FABRIKAM_SECRET", "s3cret", 1);
    }
    std::string config(const std::string& client_id) const {
        const std::string d = dir_.path().string();
        return "agent:\n  data_dir: " + d + "/var\n  plugin_dirs: [" + test::test_plugin_dir() +
               "]\n  log: {level: info, file: " + d +
               "/vigil.log}\n  graph: {requests: 50, window: 1s}\n"
               "credentials:\n  - {name: fabrikam-app, client_id: " +
               client_id +
               ", client_secret: \"${env:VIGIL_TEST_FABRIKAM_SECRET}\"}\n"
               "organizations:\n  - name: Fabrikam\n    sources:\n      - type: entra_id\n        tenant_id: " +
               kTenant + "\n        credentials: fabrikam-app\n        endpoints: {login: " + emulator_->base_url() +
               ", graph: " + emulator_->base_url() + "}\n        tls: {ca_file: " + emulator_->ca_file() +
               "}\n        connectors:\n          graph_probe: {path: \"/v1.0/auditLogs/directoryAudits?$top=500\"}\n"
               "outputs:\n  - {type: jsonl, path: " +
               d + "/events.jsonl}\n";
    }

    test::TempDir dir_;
    std::unique_ptr<emulator::GraphEmulator> emulator_;
};

TEST_F(GraphEndToEnd, EveryRecordArrivesExactlyOnceThroughThrottling) {
    const std::string file = dir_.write("vigil.yaml", config(kApp));
    ASSERT_EQ(test::run_vigil({"run", "--config", file, "--once"}, dir_.file("run")), 0)
        << test::read_file(dir_.file("run.err")) << test::read_file(dir_.file("vigil.log"));
    std::map<std::string, int> seen;
    for (const auto& line : test::read_lines(dir_.file("events.jsonl"))) {
        const size_t start = line.find("\"id\":\"") + 6;
        ++seen[line.substr(start, line.find('"', start) - start)];
    }
    const auto truth = emulator_->audit_ids(kTenant);
    ASSERT_EQ(seen.size(), truth.size());
    for (const auto& id : truth) EXPECT_EQ(seen[id], 1) << id;
    int throttled = 0;
    for (const auto& request : emulator_->requests()) throttled += request.status == 429 ? 1 : 0;
    EXPECT_GE(throttled, 1) << "the scenario throttles every third request";
    // A second run reads the listing again: nothing new is delivered.
    ASSERT_EQ(test::run_vigil({"run", "--config", file, "--once"}, dir_.file("again")), 0);
    EXPECT_EQ(test::read_lines(dir_.file("events.jsonl")).size(), truth.size());
}

TEST_F(GraphEndToEnd, AMissingPermissionFailsTheRunWithAdviceAndNoSecret) {
    const std::string file = dir_.write("vigil.yaml", config(kUnconsented));
    EXPECT_EQ(test::run_vigil({"run", "--config", file, "--once"}, dir_.file("run")), 1);
    const std::string log = test::read_file(dir_.file("vigil.log"));
    EXPECT_NE(log.find("GET /v1.0/auditLogs/directoryAudits for tenant " + kTenant +
                       " of organization 'Fabrikam' (credential 'fabrikam-app') was denied "
                       "(Authorization_RequestDenied): grant the application permission AuditLog.Read.All"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace vigil
