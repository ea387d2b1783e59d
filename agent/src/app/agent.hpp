#pragma once

#include "config/config.hpp"
#include "graph/request_limiter.hpp"
#include "graph/token_cache.hpp"
#include "hooks/lua_hook_set.hpp"
#include "pipeline/connector_job.hpp"
#include "pipeline/output_runner.hpp"
#include "pipeline/scheduler.hpp"
#include "pipeline/spool.hpp"
#include "status/status_server.hpp"
#include "status/status_snapshot.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

namespace vigil {

class PluginRegistry;

// One running configuration: the spool, a job per enabled (organization, source, connector), a runner per output,
// and the scheduler. Everything is created before anything starts, so a plugin refusing its configuration stops
// the start-up before a single event moves.
class Agent {
public:
    Agent(const Config& config, const PluginRegistry& registry);
    ~Agent();

    // Collect until stop() (from a signal handler thread) is called. Returns the exit code.
    int run();
    // One cycle of every job, then deliver everything to every output. Returns 0, or 1 when a job or an output
    // failed (the events stay spooled for the next run).
    int run_once();
    void stop();

    size_t job_count() const { return jobs_.size(); }
    // What the status endpoint and the run summary show, now.
    StatusSnapshot status() const;
    // The status endpoint's port while run() serves it (0: none).
    uint16_t status_port() const;
    static constexpr auto kStopGrace = std::chrono::seconds(5);
    static constexpr auto kOnceDeliveryTimeout = std::chrono::seconds(120);

private:
    void start(bool once);

    void stop_outputs(std::chrono::steady_clock::time_point deadline);

    Config config_;
    std::atomic<bool> stopping_{false};
    std::mutex lifecycle_mutex_;  // stop() may come from the signal thread while start() runs
    std::unique_ptr<Spool> spool_;
    std::vector<std::unique_ptr<ConnectorJob>> jobs_;
    std::vector<std::unique_ptr<OutputRunner>> outputs_;
    std::unique_ptr<Scheduler> scheduler_;
    std::unique_ptr<graph::TokenCache> tokens_;
    std::unique_ptr<graph::RequestLimiter> limiter_;
    ServiceAccounts service_accounts_;   // resolved by the jobs, read by the hooks
    std::unique_ptr<LuaHookSet> hooks_;  // agent.hooks, read once; each worker gets its own interpreters
    std::unique_ptr<StatusBoard> board_;
    std::unique_ptr<StatusServer> status_server_;  // run() only; stopped first: it reads everything above
};

// Creates data_dir (0700) if needed; throws std::runtime_error naming the folder and what to do.
void prepare_data_dir(const std::string& data_dir);

}  // namespace vigil
