#pragma once

#include "hooks/service_accounts.hpp"
#include "status/job_health.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

class ConnectorJob;
class OutputRunner;
class Spool;

// The agent's state at one moment, as the status endpoint (/metrics, /status) and the `run --once` summary show
// it. Plain values: made under the owners' locks, then read without any.
struct StatusSnapshot {
    struct Job {
        std::string organization, source_group, tenant_id, connector;
        uint64_t emitted = 0, stored = 0, duplicates = 0, filtered = 0, rejected = 0;
        uint64_t graph_requests = 0, graph_throttled = 0, graph_failed = 0;
        int64_t lag_ms = 0;  // the connector's lag setting
        JobHealth::Snapshot health;
    };
    struct Output {
        std::string name, type;
        uint64_t delivered_sequence = 0;
        uint64_t backlog_events = 0;
        uint64_t held_bytes = 0;
        uint64_t lost_events = 0;  // dropped undelivered to keep the spool's budget
        uint64_t batches = 0, failures = 0, consecutive_failures = 0;
        int64_t last_delivered_ms = 0;
        std::string last_error;
    };
    struct Source {
        std::string organization, source_group, tenant_id;
        std::optional<BillableAccounts> billable;
        size_t service_accounts = 0;
        std::vector<std::string> unknown_groups;
        int64_t counted_ms = 0;  // 0: not counted yet
    };

    int64_t now_ms = 0;
    int64_t started_ms = 0;
    std::string version;
    uint64_t spool_bytes = 0;
    uint64_t spool_budget_bytes = 0;  // 0: none
    uint64_t spool_head = 0;          // the newest durable event's sequence
    std::string paused_reason;        // the spool refuses events: collection pauses (empty: it takes them)
    std::vector<Job> jobs;
    std::vector<Output> outputs;
    std::vector<Source> sources;

    // Seconds a job's data is behind now: a successful run that began at T collected up to T - lag. Absent
    // (nullopt) before the first successful run.
    static std::optional<double> collection_lag_seconds(const Job& job, int64_t now_ms);
};

// Reads the agent's parts into a snapshot. The parts outlive every call (the agent owns them and the server stops
// first).
class StatusBoard {
public:
    StatusBoard(const std::vector<std::unique_ptr<ConnectorJob>>& jobs,
                const std::vector<std::unique_ptr<OutputRunner>>& outputs, Spool& spool,
                const ServiceAccounts& service_accounts, int64_t started_ms, std::string version);
    StatusSnapshot snapshot(int64_t now_ms) const;

private:
    const std::vector<std::unique_ptr<ConnectorJob>>& jobs_;
    const std::vector<std::unique_ptr<OutputRunner>>& outputs_;
    Spool& spool_;
    const ServiceAccounts& service_accounts_;
    int64_t started_ms_;
    std::string version_;
};

}  // namespace vigil
