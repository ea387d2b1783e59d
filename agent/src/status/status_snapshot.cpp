#include "status/status_snapshot.hpp"

#include "pipeline/connector_job.hpp"
#include "pipeline/output_runner.hpp"
#include "pipeline/spool.hpp"

#include <set>
#include <tuple>

namespace vigil {

std::optional<double> StatusSnapshot::collection_lag_seconds(const Job& job, int64_t now_ms) {
    if (job.health.last_success_started_ms == 0) return std::nullopt;
    return static_cast<double>(now_ms - (job.health.last_success_started_ms - job.lag_ms)) / 1000.0;
}

StatusBoard::StatusBoard(const std::vector<std::unique_ptr<ConnectorJob>>& jobs,
                         const std::vector<std::unique_ptr<OutputRunner>>& outputs, Spool& spool,
                         const ServiceAccounts& service_accounts, int64_t started_ms, std::string version)
    : jobs_(jobs),
      outputs_(outputs),
      spool_(spool),
      service_accounts_(service_accounts),
      started_ms_(started_ms),
      version_(std::move(version)) {}

StatusSnapshot StatusBoard::snapshot(int64_t now_ms) const {
    StatusSnapshot status;
    status.now_ms = now_ms;
    status.started_ms = started_ms_;
    status.version = version_;
    status.spool_bytes = spool_.bytes();
    status.spool_budget_bytes = spool_.budget_bytes();
    status.spool_head = spool_.head();
    status.paused_reason = spool_.full_reason();
    std::set<std::tuple<std::string, std::string, std::string>> sources;
    for (const auto& job : jobs_) {
        const JobIdentity& identity = job->identity();
        const ConnectorJob::Totals totals = job->totals();
        const graph::GraphRequestCounts& requests = job->graph_counts();
        status.jobs.push_back(StatusSnapshot::Job{
            identity.organization, identity.source_group, identity.tenant_id, identity.connector, totals.emitted,
            totals.stored, totals.duplicates, totals.filtered, totals.rejected,
            requests.requests.load(std::memory_order_relaxed), requests.throttled.load(std::memory_order_relaxed),
            requests.failed.load(std::memory_order_relaxed), job->lag_ms(), job->health().snapshot()});
        sources.emplace(identity.organization, identity.source_group, identity.tenant_id);
    }
    for (const auto& [organization, source_group, tenant_id] : sources) {
        StatusSnapshot::Source source{organization, source_group, tenant_id, std::nullopt, 0, {}, 0};
        if (const auto resolved = service_accounts_.get(ServiceAccounts::key(organization, source_group, tenant_id))) {
            source.billable = resolved->billable;
            source.service_accounts = resolved->accounts;
            source.unknown_groups = resolved->unknown_groups;
            source.counted_ms = resolved->resolved_ms;
        }
        status.sources.push_back(std::move(source));
    }
    for (const auto& output : outputs_) {
        const OutputRunner::Health health = output->health();
        status.outputs.push_back(StatusSnapshot::Output{
            output->name(), output->type(), output->delivered(), spool_.backlog(output->name()),
            spool_.held_bytes(output->name()), output->lost_events(), health.batches, health.failures,
            health.consecutive_failures, health.last_delivered_ms, health.last_error});
    }
    return status;
}

}  // namespace vigil
