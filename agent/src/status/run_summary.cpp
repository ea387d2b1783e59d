#include "report/text_table.hpp"
#include "status/status_formats.hpp"

#include <string>

namespace vigil {

namespace {

std::string mb(uint64_t bytes) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    return buffer;
}

}  // namespace

std::string run_summary(const StatusSnapshot& status, size_t width) {
    std::string out = "\nCollection\n\n";
    TextTable jobs({"ORGANIZATION", "TENANT", "CONNECTOR", "RESULT", "COLLECTED", "DUPLICATE", "FILTERED", "REQUESTS",
                    "THROTTLED"});
    jobs.keep_at_least(3, 7);
    size_t failed = 0;
    for (const auto& job : status.jobs) {
        const char* result = state_name(job.health.state);
        failed += job.health.state == JobHealth::State::failing ? 1 : 0;
        jobs.add({job.organization + (job.source_group.empty() ? "" : " / " + job.source_group), job.tenant_id,
                  job.connector, result, std::to_string(job.stored), std::to_string(job.duplicates),
                  std::to_string(job.filtered), std::to_string(job.graph_requests),
                  std::to_string(job.graph_throttled)});
    }
    out += jobs.empty() ? "(no collection jobs: enable connectors on a source with crawl: true)\n" : jobs.render(width);

    out += "\nOutputs\n\n";
    TextTable outputs({"OUTPUT", "TYPE", "BACKLOG", "FAILURES", "DROPPED", "LAST ERROR"});
    for (const auto& output : status.outputs) {
        outputs.add({output.name, output.type, std::to_string(output.backlog_events), std::to_string(output.failures),
                     std::to_string(output.lost_events), output.last_error});
    }
    out += outputs.render(width);

    bool any_billable = false;
    TextTable billable({"ORGANIZATION", "TENANT", "BILLABLE ACCOUNTS", "ENABLED LICENSED", "SERVICE ACCOUNTS"});
    for (const auto& source : status.sources) {
        if (!source.billable) continue;
        any_billable = true;
        billable.add({source.organization, source.tenant_id, std::to_string(source.billable->billable),
                      std::to_string(source.billable->enabled_licensed),
                      std::to_string(source.billable->service_accounts)});
    }
    if (any_billable) out += "\nAccounts\n\n" + billable.render(width);

    if (failed > 0) {
        out += "\nFailed (" + std::to_string(failed) + " of " + std::to_string(status.jobs.size()) + ")\n\n";
        for (const auto& job : status.jobs) {
            if (job.health.state != JobHealth::State::failing) continue;
            // Whole: the advice is at the end of the message (grant this permission, that licence).
            out +=
                printable(job.organization + "/" + job.tenant_id + "/" + job.connector + ": " + job.health.last_error) +
                "\n";
        }
    }
    out += "\nSpool: " + mb(status.spool_bytes);
    if (status.spool_budget_bytes > 0) out += " of its " + mb(status.spool_budget_bytes) + " budget";
    if (!status.paused_reason.empty()) out += "; collection paused: " + status.paused_reason;
    out += "\n";
    return out;
}

}  // namespace vigil
