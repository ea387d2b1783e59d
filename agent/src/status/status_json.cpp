#include "status/status_formats.hpp"
#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

#include <cstdio>
#include <tuple>

namespace vigil {

namespace {

// Appends "key": and a value; keeps track of commas for one object level at a time.
class JsonObject {
public:
    explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
    ~JsonObject() { out_ += '}'; }
    JsonObject(const JsonObject&) = delete;
    JsonObject& operator=(const JsonObject&) = delete;

    std::string& key(std::string_view name) {
        if (!first_) out_ += ',';
        first_ = false;
        append_json_string(out_, name);
        out_ += ':';
        return out_;
    }
    void text(std::string_view name, std::string_view value) { append_json_string(key(name), value); }
    void number(std::string_view name, uint64_t value) { key(name) += std::to_string(value); }
    void boolean(std::string_view name, bool value) { key(name) += value ? "true" : "false"; }
    // A time, or null when 0 (never).
    void time(std::string_view name, int64_t ms) {
        std::string& out = key(name);
        if (ms == 0) {
            out += "null";
        } else {
            out += '"';
            append_rfc3339_ms(out, ms);
            out += '"';
        }
    }
    // Text, or null when empty.
    void text_or_null(std::string_view name, const std::string& value) {
        if (value.empty()) {
            key(name) += "null";
        } else {
            text(name, value);
        }
    }

private:
    std::string& out_;
    bool first_ = true;
};

void job_json(std::string& out, const StatusSnapshot::Job& job, int64_t now_ms) {
    JsonObject object(out);
    object.text("connector", job.connector);
    object.text("state", state_name(job.health.state));
    object.number("runs", job.health.runs);
    object.number("failed_runs", job.health.failed_runs);
    object.number("consecutive_failures", job.health.consecutive_failures);
    object.time("last_run_started", job.health.last_started_ms);
    object.time("last_run_ended", job.health.last_ended_ms);
    object.time("last_success", job.health.last_success_ms);
    std::string& lag = object.key("collection_lag_seconds");
    if (const auto seconds = StatusSnapshot::collection_lag_seconds(job, now_ms)) {
        char buffer[32];
        std::snprintf(buffer, sizeof(buffer), "%.3f", *seconds);
        lag += buffer;
    } else {
        lag += "null";
    }
    {
        JsonObject events(object.key("events"));
        events.number("collected", job.stored);
        events.number("duplicate", job.duplicates);
        events.number("filtered", job.filtered);
        events.number("rejected", job.rejected);
    }
    {
        JsonObject graph(object.key("graph_requests"));
        graph.number("sent", job.graph_requests);
        graph.number("throttled", job.graph_throttled);
        graph.number("failed", job.graph_failed);
    }
    object.text_or_null("last_error", job.health.last_error);
    object.text_or_null("paused_reason", job.health.paused_reason);
}

}  // namespace

bool healthy(const StatusSnapshot& status, std::string& reason) {
    if (status.paused_reason.empty()) return true;
    reason = "collection paused: " + status.paused_reason;
    return false;
}

std::string status_json(const StatusSnapshot& status) {
    std::string out;
    {
        JsonObject root(out);
        root.text("version", status.version);
        root.time("started", status.started_ms);
        root.time("now", status.now_ms);
        std::string reason;
        root.boolean("healthy", healthy(status, reason));
        {
            JsonObject spool(root.key("spool"));
            spool.number("bytes", status.spool_bytes);
            spool.number("budget_bytes", status.spool_budget_bytes);
            spool.number("newest_event", status.spool_head);
            spool.boolean("paused", !status.paused_reason.empty());
            spool.text_or_null("paused_reason", status.paused_reason);
        }
        std::string& sources = root.key("sources");
        sources += '[';
        for (size_t s = 0; s < status.sources.size(); ++s) {
            const auto& source = status.sources[s];
            if (s > 0) sources += ',';
            JsonObject object(sources);
            object.text("organization", source.organization);
            object.text("source_group", source.source_group);
            object.text("tenant_id", source.tenant_id);
            std::string& billable = object.key("billable_accounts");
            if (source.billable) {
                JsonObject counts(billable);
                counts.number("enabled_licensed", source.billable->enabled_licensed);
                counts.number("service_accounts", source.billable->service_accounts);
                counts.number("billable", source.billable->billable);
            } else {
                billable += "null";
            }
            object.time("accounts_counted", source.counted_ms);
            std::string& unknown = object.key("unknown_service_account_groups");
            unknown += '[';
            for (size_t g = 0; g < source.unknown_groups.size(); ++g) {
                if (g > 0) unknown += ',';
                append_json_string(unknown, source.unknown_groups[g]);
            }
            unknown += ']';
            std::string& connectors = object.key("connectors");
            connectors += '[';
            bool first = true;
            for (const auto& job : status.jobs) {
                if (std::tie(job.organization, job.source_group, job.tenant_id) !=
                    std::tie(source.organization, source.source_group, source.tenant_id)) {
                    continue;
                }
                if (!first) connectors += ',';
                first = false;
                job_json(connectors, job, status.now_ms);
            }
            connectors += ']';
        }
        sources += ']';
        std::string& outputs = root.key("outputs");
        outputs += '[';
        for (size_t o = 0; o < status.outputs.size(); ++o) {
            const auto& output = status.outputs[o];
            if (o > 0) outputs += ',';
            JsonObject object(outputs);
            object.text("name", output.name);
            object.text("type", output.type);
            object.number("delivered_up_to", output.delivered_sequence);
            object.number("backlog_events", output.backlog_events);
            object.number("spool_bytes", output.held_bytes);
            object.number("dropped_events", output.lost_events);
            object.number("batches", output.batches);
            object.number("failures", output.failures);
            object.number("consecutive_failures", output.consecutive_failures);
            object.time("last_delivery", output.last_delivered_ms);
            object.text_or_null("last_error", output.last_error);
        }
        outputs += ']';
    }
    out += '\n';
    return out;
}

}  // namespace vigil
