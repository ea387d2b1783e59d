// Entra Activity and Entra Logons in the real agent against the emulator: three tenants in two organizations (a
// secret, a certificate, a tenant without P1/P2), records that become visible late, documented duplicates,
// throttling and 503s, and a kill in the middle of paging. The jsonl output must equal the emulator's ground truth:
// every record once, none lost.
#include "audit_data.hpp"
#include "crypto/certificate.hpp"
#include "emulator.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <set>
#include <thread>

namespace vigil {
namespace {

using namespace std::chrono_literals;

const std::string kContoso = "c0000001-0000-4000-8000-000000000001";
const std::string kWoodgrove = "c0000002-0000-4000-8000-000000000002";
const std::string kFabrikam = "c0000003-0000-4000-8000-000000000003";
const std::string kSecretApp = "00000000-0000-0000-0000-0000000000a1";
const std::string kCertificateApp = "00000000-0000-0000-0000-0000000000a2";

// The jsonl output's events, by connector and tenant: id -> how many times it was written.
struct Collected {
    std::map<std::string, std::map<std::string, int>> ids;   // "connector tenant" -> id -> count
    std::map<std::string, Poco::JSON::Object::Ptr> samples;  // "connector tenant" -> one event
    const std::map<std::string, int>& of(const std::string& connector, const std::string& tenant) {
        return ids[connector + " " + tenant];
    }
};

class EntraConnectors : public testing::Test {
protected:
    void SetUp() override {
        const crypto::Key key = crypto::generate_rsa_key();
        crypto::CertificateRequest request;
        request.common_name = "vigil-test";
        request.days = 30;
        const crypto::Certificate certificate = crypto::issue_certificate(request, key.get(), key.get(), nullptr);
        cert_file_ = dir_.write("app.crt", crypto::certificate_to_pem(certificate.get()));
        key_file_ = dir_.write("app.key", crypto::key_to_pem(key.get()));
        chmod(key_file_.c_str(), 0600);

        emulator::Tenant contoso = tenant(kContoso, "contoso.example", 300, 600);
        contoso.late_every = 9;
        contoso.late_by_ms = 3'600'000;  // until the test releases them
        contoso.duplicate_every = 6;
        emulator::Tenant woodgrove = tenant(kWoodgrove, "woodgrove.example", 150, 300);
        woodgrove.applications = {emulator::Application(kCertificateApp, "", false, cert_file_)};
        woodgrove.faults.throttle_every = 4;
        woodgrove.faults.retry_after = "0.1";
        woodgrove.faults.unavailable_every = 7;
        emulator::Tenant fabrikam = tenant(kFabrikam, "fabrikam.example", 100, 100);
        fabrikam.premium = false;
        emulator::Scenario scenario;
        scenario.tenants = {contoso, woodgrove, fabrikam};
        emulator_ = std::make_unique<emulator::GraphEmulator>(
            emulator::GraphEmulator::Options{dir_.file("emulator"), scenario, 0});
        setenv("VIGIL_TEST_CONTOSO_SECRET", "s3cret", 1);
    }

    static emulator::Tenant tenant(const std::string& id, const std::string& domain, int audits, int signins) {
        emulator::Tenant t;
        t.id = id;
        t.domain = domain;
        t.audit_records = audits;  // one a second, all inside the 10-minute overlap
        t.signin_records = signins;
        // The newest a few seconds old: a run reads up to the whole second before now, and must see them all.
        t.records_from_offset_ms = -(std::max<int64_t>(audits * 1000LL, signins * 500LL) + 3000);
        t.applications = {emulator::Application(kSecretApp, "s3cret", false, "")};
        return t;
    }

    // A source on the emulator with both connectors; logons: its settings, or empty to leave it out.
    std::string source(const std::string& tenant_id, const std::string& credential,
                       const std::string& logons = "{lag: 0s, backfill: 1h, chunk: 2m}") const {
        return "      - type: entra_id\n        tenant_id: " + tenant_id + "\n        credentials: " + credential +
               "\n        endpoints: {login: " + emulator_->base_url() + ", graph: " + emulator_->base_url() +
               "}\n        tls: {ca_file: " + emulator_->ca_file() +
               "}\n        connectors:\n          entra_activity: {lag: 0s, backfill: 1h, chunk: 2m}\n" +
               (logons.empty() ? "" : "          entra_logons: " + logons + "\n");
    }

    // The agent, both credentials and the jsonl output around the organizations given.
    std::string write_config(const std::string& organizations) const {
        const std::string d = dir_.path().string();
        return dir_.write("vigil.yaml", "agent:\n  data_dir: " + d + "/var\n  plugin_dirs: [" + test::plugin_dir() +
                                            "]\n  log: {level: info, file: " + d +
                                            "/vigil.log}\n  graph: {requests: 1000, window: 1s}\n"
                                            "credentials:\n  - {name: contoso-app, client_id: " +
                                            kSecretApp +
                                            ", client_secret: \"${env:VIGIL_TEST_CONTOSO_SECRET}\"}\n"
                                            "  - {name: woodgrove-cert, client_id: " +
                                            kCertificateApp + ", certificate: {cert: " + cert_file_ +
                                            ", key: " + key_file_ + "}}\norganizations:\n" + organizations +
                                            "outputs:\n  - {type: jsonl, path: " + d + "/events.jsonl}\n");
    }

    std::string three_tenants_config() const {
        return write_config(
            "  - name: Contoso\n    sources:\n" + source(kContoso, "contoso-app") +
            source(kWoodgrove, "woodgrove-cert",
                   "{lag: 0s, backfill: 1h, non_interactive: true, service_principal: true, managed_identity: true}") +
            "  - name: Fabrikam\n    sources:\n" + source(kFabrikam, "contoso-app"));
    }

    // A scenario of its own in place of the three tenants.
    void serve(const std::vector<emulator::Tenant>& tenants) {
        emulator::Scenario scenario;
        scenario.tenants = tenants;
        emulator_.reset();
        emulator_ = std::make_unique<emulator::GraphEmulator>(
            emulator::GraphEmulator::Options{dir_.file("emulator-" + std::to_string(++scenarios_)), scenario, 0});
    }

    Collected collected() const {
        Collected result;
        for (const auto& line : test::read_lines(dir_.file("events.jsonl"))) {
            const auto event = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
            const std::string key =
                event->getValue<std::string>("connector") + " " + event->getValue<std::string>("tenant_id");
            ++result.ids[key][event->getValue<std::string>("id")];
            result.samples[key] = event;
        }
        return result;
    }

    std::set<std::string> audits(const std::string& tenant_id, bool with_late) const {
        std::set<std::string> ids;
        const emulator::Tenant& t = *emulator_->scenario().find_tenant(tenant_id);
        for (int n = 0; n < t.audit_records; ++n) {
            if (with_late || t.late_every == 0 || n % t.late_every != 0) ids.insert(emulator::audit_id(t, n));
        }
        return ids;
    }

    std::set<std::string> signins(const std::string& tenant_id, bool all_kinds, bool with_late) const {
        std::set<std::string> ids;
        const emulator::Tenant& t = *emulator_->scenario().find_tenant(tenant_id);
        for (const auto& record : emulator_->signins(tenant_id)) {
            if (!all_kinds && record.event_type != "interactiveUser") continue;
            if (with_late || t.late_every == 0 || record.n % t.late_every != 0) ids.insert(record.id);
        }
        return ids;
    }

    static std::set<std::string> keys(const std::map<std::string, int>& counts) {
        std::set<std::string> ids;
        for (const auto& [id, count] : counts) {
            EXPECT_EQ(count, 1) << id << " written " << count << " times";
            ids.insert(id);
        }
        return ids;
    }

    int run_once() { return test::run_vigil({"run", "--config", three_tenants_config(), "--once"}, dir_.file("run")); }

    test::TempDir dir_;
    std::string cert_file_;
    std::string key_file_;
    std::unique_ptr<emulator::GraphEmulator> emulator_;
    int scenarios_ = 0;
};

TEST_F(EntraConnectors, ThreeTenantsEveryRecordOnceLateOnesAtTheNextRun) {
    // Fabrikam has no P1/P2: its logons fail (and the run says so), everything else is collected.
    EXPECT_EQ(run_once(), 1) << "one job failed: Fabrikam's logons";
    const std::string log = test::read_file(dir_.file("vigil.log"));
    EXPECT_NE(log.find("needs an Entra ID P1 or P2 licence"), std::string::npos) << log;

    Collected first = collected();
    EXPECT_EQ(keys(first.of("entra_activity", kContoso)), audits(kContoso, false)) << "late records not yet visible";
    EXPECT_EQ(keys(first.of("entra_logons", kContoso)), signins(kContoso, false, false));
    EXPECT_EQ(keys(first.of("entra_activity", kWoodgrove)), audits(kWoodgrove, true)) << "through 429s and 503s\n"
                                                                                      << log;
    EXPECT_EQ(keys(first.of("entra_logons", kWoodgrove)), signins(kWoodgrove, true, true)) << "every kind, via beta";
    EXPECT_EQ(keys(first.of("entra_activity", kFabrikam)), audits(kFabrikam, true)) << "activity needs no licence";
    EXPECT_TRUE(first.of("entra_logons", kFabrikam).empty());

    // The late records become visible; the next run's overlap finds them.
    emulator_->release_late_records();
    run_once();
    Collected second = collected();
    EXPECT_EQ(keys(second.of("entra_activity", kContoso)), audits(kContoso, true));
    EXPECT_EQ(keys(second.of("entra_logons", kContoso)), signins(kContoso, false, true));
    EXPECT_EQ(keys(second.of("entra_activity", kWoodgrove)), audits(kWoodgrove, true)) << "nothing written twice";

    // The event record, as the contract has it.
    const auto activity = second.samples.at("entra_activity " + kContoso);
    EXPECT_EQ(activity->getValue<std::string>("organization"), "Contoso");
    EXPECT_EQ(activity->getValue<std::string>("where"), "contoso.example") << "the tenant's default domain";
    EXPECT_TRUE(activity->has("raw"));
    const auto logon = second.samples.at("entra_logons " + kWoodgrove);
    EXPECT_TRUE(logon->getValue<std::string>("action") == "Successful Logon" ||
                logon->getValue<std::string>("action") == "Failed Logon");
}

TEST_F(EntraConnectors, AKillInTheMiddleOfPagingThenARestartLosesAndRepeatsNothing) {
    // One tenant, 3,000 sign-ins of every kind in pages of 10: the run takes long enough to be killed in the middle.
    emulator::Tenant big = tenant(kWoodgrove, "woodgrove.example", 0, 3000);
    big.duplicate_every = 11;
    serve({big});
    const std::string file =
        write_config("  - name: Contoso\n    sources:\n" +
                     source(kWoodgrove, "contoso-app",
                            "{lag: 0s, backfill: 1h, page_size: 10, non_interactive: true, service_principal: true, "
                            "managed_identity: true}"));

    test::ChildProcess child =
        test::spawn({test::vigil_binary(), "run", "--config", file, "--once"}, dir_.file("killed"));
    ASSERT_GT(child.pid, 0) << "the agent did not start";
    // Kill it once some pages are written, long before the 300 pages are.
    for (int i = 0; i < 400 && test::read_lines(dir_.file("events.jsonl")).size() < 200; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    test::kill_child(child);
    const size_t before = test::read_lines(dir_.file("events.jsonl")).size();
    EXPECT_GT(before, 0u);
    EXPECT_LT(before, 3000u) << "killed in the middle";

    ASSERT_EQ(test::run_vigil({"run", "--config", file, "--once"}, dir_.file("restart")), 0)
        << test::read_file(dir_.file("vigil.log"));
    EXPECT_EQ(keys(collected().of("entra_logons", kWoodgrove)), signins(kWoodgrove, true, true));
}

TEST_F(EntraConnectors, WithoutPermissionToReadTheOrganizationEventsNameTheTenantId) {
    // The application may read audit logs but not the organization: `where` falls back to the tenant id.
    emulator::Tenant audits_only = tenant(kContoso, "contoso.example", 20, 0);
    audits_only.applications[0].all_permissions = false;
    audits_only.applications[0].permissions = {"AuditLog.Read.All"};
    serve({audits_only});
    const std::string file = write_config("  - name: Contoso\n    sources:\n" + source(kContoso, "contoso-app", ""));
    ASSERT_EQ(test::run_vigil({"run", "--config", file, "--once"}, dir_.file("run")), 0)
        << test::read_file(dir_.file("vigil.log"));
    Collected events = collected();
    EXPECT_EQ(keys(events.of("entra_activity", kContoso)), audits(kContoso, true));
    EXPECT_EQ(events.samples.at("entra_activity " + kContoso)->getValue<std::string>("where"), kContoso);
}

}  // namespace
}  // namespace vigil
