// The status endpoint's three answers and the run summary, on a snapshot made here: metrics that a strict
// Prometheus text-format check accepts (hostile label values included), JSON with every job's last error in words,
// health that follows the spool.
#include "status/status_formats.hpp"

#include "support/prometheus_text.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace vigil {
namespace {

constexpr int64_t kNow = 1'795'176'000'000;  // 2026-11-20T12:00:00Z
const std::string kHostileOrganization = "Contoso \"EU\" \\ Sales\nTeam";
const std::string kError =
    "GET /v1.0/auditLogs/signIns for tenant t2 was denied (Authentication_RequestFromNonPremiumTenantOrB2CTenant): "
    "the tenant needs an Entra ID P1 or P2 licence";

StatusSnapshot snapshot() {
    StatusSnapshot status;
    status.now_ms = kNow;
    status.started_ms = kNow - 3'600'000;
    status.version = "0.1.0";
    status.spool_bytes = 5 << 20;
    status.spool_budget_bytes = 10240ull << 20;
    status.spool_head = 200;

    StatusSnapshot::Job activity;
    activity.organization = kHostileOrganization;
    activity.source_group = "Cloud";
    activity.tenant_id = "t1";
    activity.connector = "entra_activity";
    activity.emitted = 130;
    activity.stored = 120;
    activity.duplicates = 10;
    activity.graph_requests = 7;
    activity.graph_throttled = 2;
    activity.lag_ms = 120'000;
    activity.health.state = JobHealth::State::ok;
    activity.health.runs = 3;
    activity.health.last_success_ms = kNow - 30'000;
    activity.health.last_success_started_ms = kNow - 60'000;
    status.jobs.push_back(activity);

    StatusSnapshot::Job logons;
    logons.organization = "Fabrikam";
    logons.tenant_id = "t2";
    logons.connector = "entra_logons";
    logons.graph_requests = 1;
    logons.graph_failed = 1;
    logons.health.state = JobHealth::State::failing;
    logons.health.runs = 2;
    logons.health.failed_runs = 2;
    logons.health.consecutive_failures = 2;
    logons.health.last_error = kError;
    status.jobs.push_back(logons);

    status.outputs.push_back({"jsonl", "jsonl", 200, 0, 0, 0, 4, 0, 0, kNow - 20'000, ""});
    status.outputs.push_back({"siem", "syslog", 150, 50, 3 << 20, 7, 2, 5, 5, kNow - 900'000,
                              "connection refused by siem.example:6514 \x1b[2J"});
    status.sources.push_back({kHostileOrganization, "Cloud", "t1", BillableAccounts{94, 5, 89}, 5, {}, kNow - 60'000});
    status.sources.push_back({"Fabrikam", "", "t2", std::nullopt, 0, {"Automation"}, 0});
    return status;
}

TEST(PrometheusMetrics, PassTheTextFormatCheckAndSayWhatHappened) {
    const std::string text = prometheus_metrics(snapshot());
    const test::PrometheusText metrics = test::parse_prometheus_text(text);
    for (const auto& error : metrics.errors) ADD_FAILURE() << error << "\n" << text;

    const std::map<std::string, std::string> activity{{"organization", kHostileOrganization},
                                                      {"connector", "entra_activity"}};
    const std::map<std::string, std::string> logons{{"organization", "Fabrikam"}, {"connector", "entra_logons"}};
    const auto value = [&](const std::string& name, const std::map<std::string, std::string>& labels) {
        const test::PrometheusSample* sample = metrics.find(name, labels);
        EXPECT_NE(sample, nullptr) << name << " is missing\n" << text;
        return sample ? sample->value : -1;
    };
    EXPECT_EQ(value("vigil_events_collected_total", activity), 120) << "the label value survived its escaping";
    EXPECT_EQ(value("vigil_events_duplicate_total", activity), 10);
    EXPECT_EQ(value("vigil_graph_throttled_total", activity), 2);
    EXPECT_EQ(value("vigil_graph_failed_requests_total", logons), 1);
    EXPECT_EQ(value("vigil_job_failing", logons), 1);
    EXPECT_EQ(value("vigil_job_failing", activity), 0);
    EXPECT_EQ(value("vigil_job_failed_runs_total", logons), 2);
    // The last successful run began 60 s ago with a 2-minute lag: its data reaches 180 s back.
    EXPECT_EQ(value("vigil_collection_lag_seconds", activity), 180);
    EXPECT_EQ(metrics.find("vigil_collection_lag_seconds", logons), nullptr) << "no success yet: no lag to show";
    EXPECT_EQ(value("vigil_last_success_timestamp_seconds", activity), (kNow - 30'000) / 1000.0);
    EXPECT_EQ(value("vigil_output_backlog_events", {{"output", "siem"}}), 50);
    EXPECT_EQ(value("vigil_output_spool_bytes", {{"output", "siem"}}), 3 << 20);
    EXPECT_EQ(value("vigil_output_events_dropped_total", {{"output", "siem"}}), 7);
    EXPECT_EQ(value("vigil_billable_accounts", {{"tenant_id", "t1"}}), 89);
    EXPECT_EQ(metrics.find("vigil_billable_accounts", {{"tenant_id", "t2"}}), nullptr) << "not counted yet";
    EXPECT_EQ(value("vigil_spool_paused", {}), 0);
    EXPECT_EQ(metrics.types.at("vigil_events_collected_total"), "counter");
    EXPECT_EQ(metrics.types.at("vigil_collection_lag_seconds"), "gauge");
}

TEST(PrometheusTextCheck, CatchesWhatAScraperWouldRefuse) {
    const auto errors = [](const std::string& text) { return test::parse_prometheus_text(text).errors.size(); };
    EXPECT_EQ(errors("# TYPE a_total counter\na_total{x=\"1\"} 3\n"), 0u);
    EXPECT_GT(errors("# TYPE a counter\na 3\n"), 0u) << "a counter without _total";
    EXPECT_GT(errors("a_total 3\n"), 0u) << "no TYPE";
    EXPECT_GT(errors("# TYPE a gauge\na{x=\"\\t\"} 3\n"), 0u) << "an escape the format does not have";
    EXPECT_GT(errors("# TYPE a gauge\na{x=\"1\"} 3\na{x=\"1\"} 4\n"), 0u) << "one series twice";
    EXPECT_GT(errors("# TYPE a gauge\n# TYPE b gauge\nb 1\na 2\nb 3\n"), 0u) << "b's lines apart";
    EXPECT_GT(errors("# TYPE a gauge\na three\n"), 0u) << "not a number";
    EXPECT_GT(errors("# TYPE a gauge\na 3"), 0u) << "no final line feed";
}

TEST(StatusJson, GivesEachSourcesConnectorsAndTheLastErrorInWords) {
    const auto root = Poco::JSON::Parser().parse(status_json(snapshot())).extract<Poco::JSON::Object::Ptr>();
    EXPECT_TRUE(root->getValue<bool>("healthy"));
    const auto sources = root->getArray("sources");
    ASSERT_EQ(sources->size(), 2u);
    const auto first = sources->getObject(0);
    EXPECT_EQ(first->getValue<std::string>("organization"), kHostileOrganization);
    EXPECT_EQ(first->getObject("billable_accounts")->getValue<int>("billable"), 89);
    const auto activity = first->getArray("connectors")->getObject(0);
    EXPECT_EQ(activity->getValue<std::string>("state"), "ok");
    EXPECT_EQ(activity->getObject("events")->getValue<int>("collected"), 120);
    EXPECT_EQ(activity->getValue<double>("collection_lag_seconds"), 180.0);
    EXPECT_EQ(activity->getValue<std::string>("last_success"), "2026-11-20T11:59:30.000Z");
    EXPECT_TRUE(activity->isNull("last_error"));
    const auto second = sources->getObject(1);
    EXPECT_TRUE(second->isNull("billable_accounts"));
    EXPECT_EQ(second->getArray("unknown_service_account_groups")->getElement<std::string>(0), "Automation");
    const auto logons = second->getArray("connectors")->getObject(0);
    EXPECT_EQ(logons->getValue<std::string>("state"), "failing");
    EXPECT_EQ(logons->getValue<std::string>("last_error"), kError);
    EXPECT_TRUE(logons->isNull("collection_lag_seconds"));
    const auto siem = root->getArray("outputs")->getObject(1);
    EXPECT_EQ(siem->getValue<std::string>("last_error"), "connection refused by siem.example:6514 \x1b[2J")
        << "json keeps it exact";
    EXPECT_EQ(siem->getValue<int>("backlog_events"), 50);
}

TEST(StatusHealth, FollowsTheSpool) {
    StatusSnapshot status = snapshot();
    std::string reason;
    EXPECT_TRUE(healthy(status, reason)) << "a failing tenant is its own problem, not the agent's";
    status.paused_reason = "the spool holds 10240 MB, its budget";
    EXPECT_FALSE(healthy(status, reason));
    EXPECT_EQ(reason, "collection paused: the spool holds 10240 MB, its budget");
    const auto root = Poco::JSON::Parser().parse(status_json(status)).extract<Poco::JSON::Object::Ptr>();
    EXPECT_FALSE(root->getValue<bool>("healthy"));
    EXPECT_TRUE(root->getObject("spool")->getValue<bool>("paused"));
    const test::PrometheusText metrics = test::parse_prometheus_text(prometheus_metrics(status));
    ASSERT_NE(metrics.find("vigil_spool_paused"), nullptr);
    EXPECT_EQ(metrics.find("vigil_spool_paused")->value, 1);
}

TEST(RunSummary, FitsTheScreenAndSpellsOutFailures) {
    const std::string summary = run_summary(snapshot(), 100);
    EXPECT_NE(summary.find("entra_logons    failing"), std::string::npos) << summary;
    EXPECT_NE(summary.find("Failed (1 of 2)"), std::string::npos) << summary;
    EXPECT_NE(summary.find("Fabrikam/t2/entra_logons: " + kError), std::string::npos) << "whole: the advice ends it";
    EXPECT_NE(summary.find("connection refused by siem.example:6514"), std::string::npos) << summary;
    EXPECT_NE(summary.find("  t1      89                 94                5\n"), std::string::npos)
        << "billable, enabled licensed, service accounts\n"
        << summary;
    EXPECT_EQ(summary.find('\x1b'), std::string::npos) << "an output's error is printed, not obeyed";
    EXPECT_NE(summary.find("siem.example:6514 \xEF\xBF\xBD[2J"), std::string::npos) << summary;
    EXPECT_EQ(summary.find("Sales\nTeam"), std::string::npos) << "the organization's line break is not printed raw";
    EXPECT_NE(summary.find("Contoso \"EU\" \\ Sales Team  t1"), std::string::npos) << summary;
}

}  // namespace
}  // namespace vigil
