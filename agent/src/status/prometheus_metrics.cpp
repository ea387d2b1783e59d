#include "status/status_formats.hpp"

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace vigil {

namespace {

void append_label_value(std::string& out, const std::string& value) {
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

std::string number(double value) {
    char buffer[40];
    std::snprintf(buffer, sizeof(buffer), "%.17g", value);
    return buffer;
}

// One metric family: its HELP and TYPE, then a sample per series.
class Family {
public:
    Family(std::string& out, const char* name, const char* type, const char* help) : out_(out), name_(name) {
        out_ += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    }
    void sample(const std::vector<std::pair<const char*, std::string>>& labels, double value) {
        out_ += name_;
        if (!labels.empty()) {
            out_ += '{';
            for (size_t i = 0; i < labels.size(); ++i) {
                if (i > 0) out_ += ',';
                out_ += labels[i].first;
                out_ += "=\"";
                append_label_value(out_, labels[i].second);
                out_ += '"';
            }
            out_ += '}';
        }
        out_ += ' ' + number(value) + '\n';
    }

private:
    std::string& out_;
    const char* name_;
};

using Labels = std::vector<std::pair<const char*, std::string>>;

Labels job_labels(const StatusSnapshot::Job& job) {
    return {{"organization", job.organization},
            {"source_group", job.source_group},
            {"tenant_id", job.tenant_id},
            {"connector", job.connector}};
}

void per_job(std::string& out, const StatusSnapshot& status, const char* name, const char* type, const char* help,
             const std::function<std::optional<double>(const StatusSnapshot::Job&)>& value) {
    Family family(out, name, type, help);
    for (const auto& job : status.jobs) {
        if (const auto v = value(job)) family.sample(job_labels(job), *v);
    }
}

void per_output(std::string& out, const StatusSnapshot& status, const char* name, const char* type, const char* help,
                const std::function<std::optional<double>(const StatusSnapshot::Output&)>& value) {
    Family family(out, name, type, help);
    for (const auto& output : status.outputs) {
        if (const auto v = value(output)) family.sample({{"output", output.name}, {"type", output.type}}, *v);
    }
}

double seconds(int64_t ms) {
    return static_cast<double>(ms) / 1000.0;
}
double count(uint64_t value) {
    return static_cast<double>(value);
}

}  // namespace

std::string prometheus_metrics(const StatusSnapshot& status) {
    std::string out;
    Family(out, "vigil_build_info", "gauge", "The agent's version, as a label.")
        .sample({{"version", status.version}}, 1);
    Family(out, "vigil_start_time_seconds", "gauge", "When the agent started, in seconds since the Unix epoch.")
        .sample({}, seconds(status.started_ms));

    per_job(out, status, "vigil_events_collected_total", "counter",
            "Events collected and stored in the spool, per source and connector.",
            [](const auto& job) { return count(job.stored); });
    per_job(out, status, "vigil_events_duplicate_total", "counter",
            "Events Graph sent again (overlapping windows) and the spool recognised by id.",
            [](const auto& job) { return count(job.duplicates); });
    per_job(out, status, "vigil_events_filtered_total", "counter", "Events the Lua hooks dropped.",
            [](const auto& job) { return count(job.filtered); });
    per_job(out, status, "vigil_events_rejected_total", "counter",
            "Events the agent dropped as malformed (a connector handed over broken JSON).",
            [](const auto& job) { return count(job.rejected); });
    per_job(out, status, "vigil_job_runs_total", "counter", "Collection runs, successful or not.",
            [](const auto& job) { return count(job.health.runs); });
    per_job(out, status, "vigil_job_failed_runs_total", "counter", "Collection runs that failed.",
            [](const auto& job) { return count(job.health.failed_runs); });
    per_job(out, status, "vigil_job_failing", "gauge", "1 while the job's last run failed, else 0.",
            [](const auto& job) { return job.health.state == JobHealth::State::failing ? 1.0 : 0.0; });
    per_job(out, status, "vigil_job_paused", "gauge",
            "1 while the job waits for the outputs (the spool reached its budget), else 0.",
            [](const auto& job) { return job.health.state == JobHealth::State::paused ? 1.0 : 0.0; });
    per_job(out, status, "vigil_collection_lag_seconds", "gauge",
            "How far behind now the collected data reaches: now minus (the last successful run's start minus the "
            "connector's lag setting). Absent before the first successful run.",
            [&](const auto& job) { return StatusSnapshot::collection_lag_seconds(job, status.now_ms); });
    per_job(out, status, "vigil_last_success_timestamp_seconds", "gauge",
            "When the job's last successful run ended, in seconds since the Unix epoch. Absent before one.",
            [](const auto& job) -> std::optional<double> {
                if (job.health.last_success_ms == 0) return std::nullopt;
                return seconds(job.health.last_success_ms);
            });
    per_job(out, status, "vigil_graph_requests_total", "counter", "Requests sent to Microsoft Graph (retries count).",
            [](const auto& job) { return count(job.graph_requests); });
    per_job(out, status, "vigil_graph_throttled_total", "counter", "Graph requests answered 429 (throttled).",
            [](const auto& job) { return count(job.graph_throttled); });
    per_job(out, status, "vigil_graph_failed_requests_total", "counter",
            "Graph requests that failed: a 5xx or 4xx answer, a malformed page, or a transport error.",
            [](const auto& job) { return count(job.graph_failed); });

    Family(out, "vigil_spool_bytes", "gauge", "What the spool's segments hold on disk.")
        .sample({}, count(status.spool_bytes));
    Family(out, "vigil_spool_budget_bytes", "gauge", "The spool's disk budget (0: none).")
        .sample({}, count(status.spool_budget_bytes));
    Family(out, "vigil_spool_paused", "gauge", "1 while the spool refuses events (its budget is reached), else 0.")
        .sample({}, status.paused_reason.empty() ? 0 : 1);
    per_output(out, status, "vigil_output_spool_bytes", "gauge",
               "Spool bytes kept on disk for the output: the segments holding events it has not delivered.",
               [](const auto& output) { return count(output.held_bytes); });
    per_output(out, status, "vigil_output_backlog_events", "gauge", "Stored events the output has not delivered.",
               [](const auto& output) { return count(output.backlog_events); });
    per_output(out, status, "vigil_output_events_dropped_total", "counter",
               "Events deleted from the spool before the output delivered them (agent.spool.when_full: drop_oldest).",
               [](const auto& output) { return count(output.lost_events); });
    per_output(out, status, "vigil_output_failures_total", "counter", "Failed delivery attempts (each is retried).",
               [](const auto& output) { return count(output.failures); });
    per_output(out, status, "vigil_output_last_delivery_timestamp_seconds", "gauge",
               "When the output last delivered a batch, in seconds since the Unix epoch. Absent before one.",
               [](const auto& output) -> std::optional<double> {
                   if (output.last_delivered_ms == 0) return std::nullopt;
                   return seconds(output.last_delivered_ms);
               });

    Family billable(out, "vigil_billable_accounts", "gauge",
                    "Enabled users holding a licence, less the source's service accounts. Absent until counted.");
    for (const auto& source : status.sources) {
        if (!source.billable) continue;
        billable.sample({{"organization", source.organization},
                         {"source_group", source.source_group},
                         {"tenant_id", source.tenant_id}},
                        count(source.billable->billable));
    }
    Family service(out, "vigil_service_accounts", "gauge",
                   "Members of the source's service-account groups (nested groups included).");
    for (const auto& source : status.sources) {
        if (source.counted_ms == 0) continue;
        service.sample({{"organization", source.organization},
                        {"source_group", source.source_group},
                        {"tenant_id", source.tenant_id}},
                       count(source.service_accounts));
    }
    return out;
}

}  // namespace vigil
