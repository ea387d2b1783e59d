#include "status/status_formats.hpp"
#include "util/json_writer.hpp"
#include "util/rfc3339.hpp"

#include <tuple>

namespace vigil {

namespace {

std::string time_text(int64_t ms) {
    std::string text;
    append_rfc3339_ms(text, ms);
    return text;
}

// A time, or null when 0 (never).
void time_or_null(JsonWriter& json, std::string_view key, int64_t ms) {
    json.text_or_null(key, ms == 0 ? std::string() : time_text(ms));
}

void job_json(JsonWriter& json, const StatusSnapshot::Job& job, int64_t now_ms) {
    json.begin_item();
    json.text("connector", job.connector);
    json.text("state", state_name(job.health.state));
    json.unsigned_integer("runs", job.health.runs);
    json.unsigned_integer("failed_runs", job.health.failed_runs);
    json.unsigned_integer("consecutive_failures", job.health.consecutive_failures);
    time_or_null(json, "last_run_started", job.health.last_started_ms);
    time_or_null(json, "last_run_ended", job.health.last_ended_ms);
    time_or_null(json, "last_success", job.health.last_success_ms);
    if (const auto seconds = StatusSnapshot::collection_lag_seconds(job, now_ms)) {
        json.number("collection_lag_seconds", *seconds);
    } else {
        json.json("collection_lag_seconds", "null");
    }
    json.begin_object("events");
    json.unsigned_integer("collected", job.stored);
    json.unsigned_integer("duplicate", job.duplicates);
    json.unsigned_integer("filtered", job.filtered);
    json.unsigned_integer("rejected", job.rejected);
    json.end_object();
    json.begin_object("graph_requests");
    json.unsigned_integer("sent", job.graph_requests);
    json.unsigned_integer("throttled", job.graph_throttled);
    json.unsigned_integer("failed", job.graph_failed);
    json.end_object();
    json.text_or_null("last_error", job.health.last_error);
    json.text_or_null("paused_reason", job.health.paused_reason);
    json.end_item();
}

}  // namespace

bool healthy(const StatusSnapshot& status, std::string& reason) {
    if (status.paused_reason.empty()) return true;
    reason = "collection paused: " + status.paused_reason;
    return false;
}

std::string status_json(const StatusSnapshot& status) {
    std::string out;
    JsonWriter json(out);
    json.begin();
    json.text("version", status.version);
    time_or_null(json, "started", status.started_ms);
    time_or_null(json, "now", status.now_ms);
    std::string reason;
    json.boolean("healthy", healthy(status, reason));
    json.begin_object("spool");
    json.unsigned_integer("bytes", status.spool_bytes);
    json.unsigned_integer("budget_bytes", status.spool_budget_bytes);
    json.unsigned_integer("newest_event", status.spool_head);
    json.boolean("paused", !status.paused_reason.empty());
    json.text_or_null("paused_reason", status.paused_reason);
    json.end_object();
    json.begin_array("sources");
    for (const auto& source : status.sources) {
        json.begin_item();
        json.text("organization", source.organization);
        json.text("source_group", source.source_group);
        json.text("tenant_id", source.tenant_id);
        if (source.billable) {
            json.begin_object("billable_accounts");
            json.unsigned_integer("enabled_licensed", source.billable->enabled_licensed);
            json.unsigned_integer("service_accounts", source.billable->service_accounts);
            json.unsigned_integer("billable", source.billable->billable);
            json.end_object();
        } else {
            json.json("billable_accounts", "null");
        }
        time_or_null(json, "accounts_counted", source.counted_ms);
        json.begin_array("unknown_service_account_groups");
        for (const auto& group : source.unknown_groups) json.string_item(group);
        json.end_array();
        json.begin_array("connectors");
        for (const auto& job : status.jobs) {
            if (std::tie(job.organization, job.source_group, job.tenant_id) ==
                std::tie(source.organization, source.source_group, source.tenant_id)) {
                job_json(json, job, status.now_ms);
            }
        }
        json.end_array();
        json.end_item();
    }
    json.end_array();
    json.begin_array("outputs");
    for (const auto& output : status.outputs) {
        json.begin_item();
        json.text("name", output.name);
        json.text("type", output.type);
        json.unsigned_integer("delivered_up_to", output.delivered_sequence);
        json.unsigned_integer("backlog_events", output.backlog_events);
        json.unsigned_integer("spool_bytes", output.held_bytes);
        json.unsigned_integer("dropped_events", output.lost_events);
        json.unsigned_integer("batches", output.batches);
        json.unsigned_integer("failures", output.failures);
        json.unsigned_integer("consecutive_failures", output.consecutive_failures);
        time_or_null(json, "last_delivery", output.last_delivered_ms);
        json.text_or_null("last_error", output.last_error);
        json.end_item();
    }
    json.end_array();
    json.end();
    out += '\n';
    return out;
}

}  // namespace vigil
