// The status endpoint of a running agent (`vigil run`, not --once) collecting from the Graph emulator: what it
// says matches what was collected, its metrics pass a strict Prometheus text-format check, and without the token
// nothing is said.
#include "emulator.hpp"
#include "support/billable_accounts.hpp"
#include "support/prometheus_text.hpp"
#include "support/test_support.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace vigil {
namespace {

const std::string kTenant = "5e000002-0000-4000-8000-000000000002";
const std::string kApp = "00000000-0000-0000-0000-0000000000e6";
const std::string kToken = "status-token-for-the-test";

struct Answer {
    int status = 0;
    std::string body;
    std::string content_type;
};

Answer get(uint16_t port, const std::string& path, const std::string& token) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    Answer answer{static_cast<int>(response.getStatus()), {}, response.getContentType()};
    Poco::StreamCopier::copyToString(body, answer.body);
    return answer;
}

class StatusEndpointTest : public testing::Test {
protected:
    void SetUp() override {
        emulator::Tenant tenant;
        tenant.id = kTenant;
        tenant.domain = "contoso.example";
        tenant.applications = {emulator::Application(kApp, "s3cret", false, "")};
        tenant.directory.users = 60;
        tenant.directory.groups = 6;
        tenant.audit_records = 250;
        tenant.records_from_offset_ms = -(250 * 1000LL + 3000);
        emulator::Scenario scenario;
        scenario.tenants = {tenant};
        emulator_ = std::make_unique<emulator::GraphEmulator>(
            emulator::GraphEmulator::Options{dir_.file("emulator"), scenario, 0});
        setenv("VIGIL_TEST_STATUS_SECRET", "s3cret", 1);
        setenv("VIGIL_TEST_STATUS_TOKEN", kToken.c_str(), 1);
    }

    void TearDown() override {
        if (child_.pid > 0) {
            kill(child_.pid, SIGTERM);
            EXPECT_EQ(test::wait_for_exit(child_, 30'000), 0) << test::read_file(dir_.file("vigil.log"));
        }
    }

    // Starts the agent with its status endpoint on a free port; returns the port once the first run is done.
    uint16_t start() {
        const std::string d = dir_.path().string();
        const std::string config = dir_.write(
            "vigil.yaml",
            "agent:\n  data_dir: " + d + "/var\n  plugin_dirs: [" + test::plugin_dir() +
                "]\n  log: {level: info, file: " + d +
                "/vigil.log}\n  graph: {requests: 1000, window: 1s}\n"
                "  status: {listen: \"127.0.0.1:0\", token: \"${env:VIGIL_TEST_STATUS_TOKEN}\"}\n"
                "credentials:\n  - {name: app, client_id: " +
                kApp +
                ", client_secret: \"${env:VIGIL_TEST_STATUS_SECRET}\"}\norganizations:\n  - name: Contoso\n"
                "    sources:\n      - type: entra_id\n        source_group: Cloud\n        tenant_id: " +
                kTenant + "\n        credentials: app\n        service_account_groups: [Service Accounts]\n" +
                "        endpoints: {login: " + emulator_->base_url() + ", graph: " + emulator_->base_url() +
                "}\n        tls: {ca_file: " + emulator_->ca_file() +
                "}\n        connectors:\n          entra_activity: {interval: 1h, lag: 0s, backfill: 1h, chunk: 10m}\n"
                "outputs:\n  - {type: jsonl, path: " +
                d + "/events.jsonl}\n");
        child_ = test::spawn({test::vigil_binary(), "run", "--config", config}, dir_.file("vigil"));
        std::string log;
        for (int waited_ms = 0; waited_ms < 60'000; waited_ms += 100) {
            log = test::read_file(dir_.file("vigil.log"));
            if (log.find("run done") != std::string::npos) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        // Plain string search, not std::regex: its locale cache races with the emulator's threads under TSan.
        const std::string marker = "status endpoint on http://127.0.0.1:";
        const size_t at = log.find(marker);
        if (at == std::string::npos) {
            ADD_FAILURE() << "the agent did not say where its status endpoint is:\n" << log;
            return 0;
        }
        return static_cast<uint16_t>(std::stoi(log.substr(at + marker.size())));
    }

    test::TempDir dir_;
    std::unique_ptr<emulator::GraphEmulator> emulator_;
    test::ChildProcess child_;
};

TEST_F(StatusEndpointTest, SaysWhatWasCollectedToWhoeverHasTheToken) {
    const uint16_t port = start();
    ASSERT_NE(port, 0);

    for (const char* path : {"/healthz", "/metrics", "/status"}) {
        EXPECT_EQ(get(port, path, "").status, 401) << path << " without the token";
        EXPECT_EQ(get(port, path, "wrong-token").status, 401) << path << " with another token";
    }
    EXPECT_EQ(get(port, "/nothing", kToken).status, 404);
    const Answer health = get(port, "/healthz", kToken);
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body, "ok\n");

    const size_t collected = emulator_->audit_ids(kTenant).size();
    ASSERT_GT(collected, 0u);
    for (int waited_ms = 0; waited_ms < 20'000; waited_ms += 100) {  // the output delivers on its own thread
        if (test::read_lines(dir_.file("events.jsonl")).size() >= collected) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_EQ(test::read_lines(dir_.file("events.jsonl")).size(), collected) << "the first run is over";

    const Answer metrics_answer = get(port, "/metrics", kToken);
    EXPECT_EQ(metrics_answer.status, 200);
    EXPECT_EQ(metrics_answer.content_type, "text/plain; version=0.0.4; charset=utf-8");
    const test::PrometheusText metrics = test::parse_prometheus_text(metrics_answer.body);
    for (const auto& error : metrics.errors) ADD_FAILURE() << error << "\n" << metrics_answer.body;
    const std::map<std::string, std::string> job{{"organization", "Contoso"},
                                                 {"source_group", "Cloud"},
                                                 {"tenant_id", kTenant},
                                                 {"connector", "entra_activity"}};
    const test::PrometheusSample* stored = metrics.find("vigil_events_collected_total", job);
    ASSERT_NE(stored, nullptr) << metrics_answer.body;
    EXPECT_EQ(stored->value, static_cast<double>(collected));
    ASSERT_NE(metrics.find("vigil_graph_requests_total", job), nullptr);
    EXPECT_GE(metrics.find("vigil_graph_requests_total", job)->value, 2.0) << "a token and at least a page";
    ASSERT_NE(metrics.find("vigil_collection_lag_seconds", job), nullptr) << "a run succeeded";
    EXPECT_LT(metrics.find("vigil_collection_lag_seconds", job)->value, 120.0);
    ASSERT_NE(metrics.find("vigil_billable_accounts", {{"tenant_id", kTenant}}), nullptr) << metrics_answer.body;

    const Answer status_answer = get(port, "/status", kToken);
    EXPECT_EQ(status_answer.status, 200);
    const auto status = Poco::JSON::Parser().parse(status_answer.body).extract<Poco::JSON::Object::Ptr>();
    EXPECT_TRUE(status->getValue<bool>("healthy"));
    const auto source = status->getArray("sources")->getObject(0);
    EXPECT_EQ(source->getValue<std::string>("tenant_id"), kTenant);
    const auto accounts = source->getObject("billable_accounts");
    ASSERT_FALSE(accounts.isNull()) << status_answer.body;
    // Ground truth: the emulated directory's enabled, licensed users less the members of "Service Accounts".
    const auto [enabled_licensed, service] = test::expected_billable(*emulator_, kTenant, "Service Accounts");
    EXPECT_EQ(accounts->getValue<size_t>("enabled_licensed"), enabled_licensed);
    EXPECT_EQ(accounts->getValue<size_t>("service_accounts"), service);
    EXPECT_EQ(accounts->getValue<size_t>("billable"), enabled_licensed - service);
    const auto activity = source->getArray("connectors")->getObject(0);
    EXPECT_EQ(activity->getValue<std::string>("state"), "ok");
    EXPECT_EQ(activity->getObject("events")->getValue<size_t>("collected"), collected);
    EXPECT_TRUE(activity->isNull("last_error"));
    const auto output = status->getArray("outputs")->getObject(0);
    EXPECT_EQ(output->getValue<std::string>("name"), "jsonl");

    // The token never reaches the log.
    EXPECT_EQ(test::read_file(dir_.file("vigil.log")).find(kToken), std::string::npos);
}

}  // namespace
}  // namespace vigil
