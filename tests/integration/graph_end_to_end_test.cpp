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
    std::string config(const std::string& client_id) const {  // one source, the graph_probe connector
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
                       "(Authorization_RequestDenied): grant the application permissions AuditLog.Read.All and "
                       "Directory.Read.All"),
              std::string::npos)
        << log;
    EXPECT_EQ(log.find("s3cret"), std::string::npos);
}

TEST_F(GraphEndToEnd, ACaFileThatIsNoCertificateFailsTheRunNamingIt) {
    // It exists, so the configuration is valid; it is not a PEM certificate, so the first Graph request cannot be made.
    const std::string bad_ca = dir_.write("not-a-ca.pem", "this is not a certificate\n");
    std::string text = config(kApp);
    text.replace(text.find(emulator_->ca_file()), emulator_->ca_file().size(), bad_ca);
    const std::string file = dir_.write("vigil.yaml", text);
    EXPECT_EQ(test::run_vigil({"run", "--config", file, "--once"}, dir_.file("run")), 1);
    const std::string log = test::read_file(dir_.file("vigil.log"));
    EXPECT_NE(log.find("run failed (8): cannot use the CA file " + bad_ca), std::string::npos) << log;
    EXPECT_EQ(log.find("no reason"), std::string::npos) << log;
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

class Doctor : public GraphEndToEnd {
protected:
    std::string three_sources() const {
        const std::string d = dir_.path().string();
        const auto source = [&](const std::string& organization, const std::string& credential) {
            return "  - name: " + organization +
                   "\n    sources:\n      - type: entra_id\n        tenant_id: " + kTenant +
                   "\n        credentials: " + credential + "\n        endpoints: {login: " + emulator_->base_url() +
                   ", graph: " + emulator_->base_url() + "}\n        tls: {ca_file: " + emulator_->ca_file() +
                   "}\n        connectors:\n          graph_probe: {path: /v1.0/auditLogs/directoryAudits}\n";
        };
        return "agent:\n  data_dir: " + d + "/var\n  plugin_dirs: [" + test::test_plugin_dir() +
               "]\n  graph: {requests: 50, window: 1s}\ncredentials:\n"
               "  - {name: good, client_id: " +
               kApp +
               ", client_secret: \"${env:VIGIL_TEST_FABRIKAM_SECRET}\"}\n"
               "  - {name: unconsented, client_id: " +
               kUnconsented +
               ", client_secret: \"${env:VIGIL_TEST_FABRIKAM_SECRET}\"}\n"
               "  - {name: mistyped, client_id: " +
               kApp +
               ", client_secret: \"${env:VIGIL_TEST_WRONG_SECRET}\"}\n"
               "organizations:\n" +
               source("Healthy", "good") + source("Unconsented", "unconsented") + source("Mistyped", "mistyped");
    }
};

TEST_F(Doctor, ReportsEachSourcesTokenAndProbesWithWhatToDo) {
    setenv("VIGIL_TEST_WRONG_SECRET", "not-the-secret", 1);
    const std::string file = dir_.write("vigil.yaml", three_sources());
    EXPECT_EQ(test::run_vigil({"doctor", "--config", file}, dir_.file("doctor")), 1) << "two sources cannot work";
    const auto lines = test::read_lines(dir_.file("doctor.out"));
    const std::string out = test::read_file(dir_.file("doctor.out"));
    ASSERT_EQ(lines.size(), 8u) << out;
    EXPECT_EQ(lines[0].rfind("SOURCE", 0), 0u);
    const std::string healthy = "Healthy / " + kTenant;
    EXPECT_EQ(lines[1].rfind(healthy, 0), 0u);
    EXPECT_NE(lines[1].find("token (good)"), std::string::npos);
    EXPECT_EQ(lines[1].substr(lines[1].size() - 2), "ok");
    EXPECT_NE(lines[2].find("billable accounts"), std::string::npos) << "information: never a failure";
    EXPECT_NE(lines[2].find("  ok: "), std::string::npos) << out;
    EXPECT_NE(lines[3].find("graph_probe: GET /v1.0/auditLogs/directoryAudits"), std::string::npos);
    EXPECT_EQ(lines[3].substr(lines[3].size() - 2), "ok");
    EXPECT_NE(lines[5].find("billable accounts"), std::string::npos);
    EXPECT_NE(lines[5].find("ok: not read: "), std::string::npos) << "no permission to list users: said, not failed";
    EXPECT_NE(lines[6].find("FAILED: GET /v1.0/auditLogs/directoryAudits for tenant " + kTenant +
                            " of organization 'Unconsented' (credential 'unconsented') was denied "
                            "(Authorization_RequestDenied): grant the application permissions AuditLog.Read.All and "
                            "Directory.Read.All"),
              std::string::npos)
        << out;
    EXPECT_NE(lines[7].find("token (mistyped)"), std::string::npos) << out;
    EXPECT_NE(lines[7].find("FAILED: AADSTS7000215: the client secret of credential 'mistyped'"), std::string::npos)
        << out;
    EXPECT_EQ(out.find("not-the-secret"), std::string::npos);
    EXPECT_EQ(out.find("s3cret"), std::string::npos);
}

TEST_F(Doctor, OneOrganizationAtATime) {
    setenv("VIGIL_TEST_WRONG_SECRET", "not-the-secret", 1);
    const std::string file = dir_.write("vigil.yaml", three_sources());
    EXPECT_EQ(test::run_vigil({"doctor", "--config", file, "--org", "healthy"}, dir_.file("one")), 0)
        << test::read_file(dir_.file("one.out"));
    EXPECT_EQ(test::read_lines(dir_.file("one.out")).size(), 4u) << "header, token, billable accounts, probe";
    EXPECT_EQ(test::run_vigil({"doctor", "--config", file, "--org", "Nobody"}, dir_.file("none")), 2);
    EXPECT_EQ(test::read_file(dir_.file("none.err")),
              "vigil: no organization named 'Nobody' (known: Healthy, Unconsented, Mistyped)\n");
}

}  // namespace
}  // namespace vigil
