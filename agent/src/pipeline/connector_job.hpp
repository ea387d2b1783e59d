#pragma once

#include "config/config.hpp"
#include "graph/graph_request_counts.hpp"
#include "pipeline/event.hpp"
#include "pipeline/scheduled_job.hpp"
#include "plugins/host_context.hpp"
#include "status/job_health.hpp"
#include "store/state_store.hpp"
#include "util/json_checker.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vigil {

class Spool;
class ServiceAccounts;
struct PluginInfo;

namespace graph {
class GraphClient;
class TokenCache;
class RequestLimiter;
struct GraphSource;
struct RetryPolicy;
}  // namespace graph

// What a job needs to reach Graph: its source, and the process-wide token cache and limiter.
struct GraphAccess {
    std::shared_ptr<const graph::GraphSource> source;
    graph::TokenCache* tokens = nullptr;
    graph::RequestLimiter* limiter = nullptr;
    int max_attempts = 6;
    // The source's service-account groups, resolved by its jobs into the shared set the hooks read.
    std::vector<std::string> service_account_groups;
    ServiceAccounts* service_accounts = nullptr;
    int64_t service_accounts_refresh_ms = 3'600'000;  // and at the start of every state snapshot
};

// What a job needs for the state store (ABI 1.2): how long snapshots are kept.
struct StateOptions {
    int64_t retention_ms = 400LL * 86'400'000;
};

// One connector plugin instance collecting for one source, and the host services it calls: emitted events wait
// in the job's batch until the plugin commits them with a checkpoint; commit runs the hooks and stores both in one
// spool transaction.
class ConnectorJob final : public ScheduledJob, public vigil_host_ctx {
public:
    ConnectorJob(JobIdentity identity, const PluginInfo& plugin, const ConnectorConfig& connector,
                 const CredentialConfig* credential, Spool& spool, const std::atomic<bool>& stopping,
                 GraphAccess graph = {}, StateOptions state = {});
    ~ConnectorJob() override;
    ConnectorJob(const ConnectorJob&) = delete;
    ConnectorJob& operator=(const ConnectorJob&) = delete;

    // Creates the plugin instance; throws std::runtime_error with the plugin's reason.
    void create();

    const std::string& label() const override { return label_; }
    int64_t interval_ms() const override { return interval_ms_; }
    bool run(HookChain& hooks) override;

    struct Totals {
        uint64_t emitted = 0, stored = 0, duplicates = 0, filtered = 0, rejected = 0;
    };
    Totals totals() const;

    // For the status endpoint and the run summary (read from other threads).
    const JobIdentity& identity() const { return identity_; }
    const JobHealth& health() const { return health_; }
    const graph::GraphRequestCounts& graph_counts() const { return graph_counts_; }
    // The connector's `lag` setting (how long Graph may take to show a record), 0 when it has none: a successful
    // run that began at T has collected everything up to T - lag.
    int64_t lag_ms() const;

    // vigil_host_ctx
    void log(vigil_log_level level, const char* message) override;
    int64_t now_ms() override;
    bool cancelled() override { return stopping_.load(std::memory_order_relaxed); }
    vigil_status read_secret(const char* name, char* buffer, size_t capacity, size_t* out_size) override;
    vigil_status emit(const vigil_event* event) override;
    vigil_status commit(vigil_str checkpoint) override;
    vigil_status checkpoint(vigil_str* out) override;
    vigil_status graph_get(const char* path_or_url, vigil_graph_page_fn on_page, void* user_data, char* error,
                           size_t error_capacity) override;
    vigil_status state_begin(const vigil_state_snapshot* snapshot) override;
    vigil_status state_put(const vigil_state_object* object) override;
    vigil_status state_remove(vigil_str kind, vigil_str id) override;
    vigil_status state_complete_kind(vigil_str kind) override;
    vigil_status state_finish(vigil_str cursor) override;
    vigil_status state_cursor(vigil_str* out) override;
    vigil_status state_read(vigil_str kind, vigil_state_object_fn fn, void* user_data) override;

private:
    // Serializes (or, with hooks, keeps for them) one event the host made or checked.
    void stage(const Event& event);
    StateStore& state_store();
    graph::GraphClient& graph_client();
    // Resolves the source's service-account groups when they are due (an hour old, or never read); a failure is
    // logged and the last set kept (events of unresolved service accounts are kept, never lost).
    // Resolves the source's service accounts again when the known set is older than max_age_ms (or missing).
    void refresh_service_accounts(int64_t max_age_ms);
    // Turns the changes of every finished snapshot after the job's checkpoint into events and commits them with the
    // checkpoint: after state_finish(), and at the next run for a snapshot whose events a crash kept from the spool.
    vigil_status emit_state_changes();
    // Runs a state store call, turning a failure into VIGIL_ERR_IO and a log line that names the source.
    template <class Body>
    vigil_status with_state(const char* what, Body&& body);

    JobIdentity identity_;
    std::string label_;
    const PluginInfo& plugin_;
    ConnectorConfig connector_;
    CredentialConfig credential_;
    Spool& spool_;
    const std::atomic<bool>& stopping_;
    int64_t interval_ms_;
    int64_t job_id_ = 0;
    void* instance_ = nullptr;
    GraphAccess graph_access_;
    StateOptions state_options_;
    std::unique_ptr<StateStore> state_;  // opened on first use by a connector that keeps state
    std::string state_cursor_;
    Event state_event_;                          // reused for each change
    std::unique_ptr<graph::GraphClient> graph_;  // made on first use: jobs that never call Graph hold no connection

    // Per run; touched only by the worker running this job.
    HookChain* hooks_ = nullptr;
    EventBatch batch_;
    SerializedBatch serialized_;
    JsonChecker json_checker_;  // raw and details of each emitted event
    std::string checkpoint_;
    int64_t run_started_ms_ = 0;            // when the current run() began: what "resolved during this run" means
    bool accounts_checked_in_run_ = false;  // service (and billable) accounts looked at during this run
    uint64_t rejected_in_run_ = 0;
    std::string commit_error_;      // why the spool refused a commit of this run
    bool paused_by_spool_ = false;  // the refusal was the spool's budget: the run paused, it did not fail
    uint64_t last_ticket_ = 0;      // the run's last commit; the run succeeds only once it is durable

    std::atomic<uint64_t> emitted_{0}, stored_{0}, duplicates_{0}, filtered_{0}, rejected_{0};
    JobHealth health_;
    graph::GraphRequestCounts graph_counts_;
};

}  // namespace vigil
