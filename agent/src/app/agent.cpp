#include "app/agent.hpp"

#include "app/commands.hpp"
#include "app/graph_sources.hpp"
#include "graph/graph_client.hpp"
#include "plugins/plugin_registry.hpp"
#include "util/wall_clock.hpp"

#include <spdlog/spdlog.h>

#include <sys/stat.h>
#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace vigil {

void prepare_data_dir(const std::string& data_dir) {
    std::error_code error;
    if (!std::filesystem::exists(data_dir, error)) {
        if (!std::filesystem::create_directories(data_dir, error)) {
            throw std::runtime_error("cannot create data_dir " + data_dir + ": " + error.message() +
                                     ": create it or point agent.data_dir somewhere the agent may write");
        }
        std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all, error);
    }
    if (!std::filesystem::is_directory(data_dir, error)) {
        throw std::runtime_error("data_dir " + data_dir + " is not a folder: fix agent.data_dir");
    }
}

Agent::Agent(const Config& config, const PluginRegistry& registry) : config_(config) {
    prepare_data_dir(config_.agent.data_dir);
    // The first use of the logger in this process when logging was not configured: here, before the spool's writer
    // and the workers start, never concurrently in two threads.
    spdlog::debug("opening the spool in {}", config_.agent.data_dir);
    Spool::Options spool_options;
    spool_options.dedupe_window_ms = config_.agent.dedupe_window_ms;
    spool_options.budget_bytes = static_cast<uint64_t>(config_.agent.spool_budget_mb) << 20;
    spool_options.drop_oldest_when_full = config_.agent.spool_drop_oldest;
    if (spool_options.budget_bytes > 0) {
        // Room for several segments under the budget: only whole, delivered (or dropped) segments free space.
        spool_options.segment_bytes =
            std::clamp<uint64_t>(spool_options.budget_bytes / 8, uint64_t{256} << 10, spool_options.segment_bytes);
    }
    spool_ = std::make_unique<Spool>(config_.agent.data_dir, spool_options);
    tokens_ = std::make_unique<graph::TokenCache>();
    limiter_ = std::make_unique<graph::RequestLimiter>(graph_budgets_of(config_.agent));
    hooks_ = std::make_unique<LuaHookSet>(config_.agent.hooks, &service_accounts_);
    for (const auto& organization : config_.organizations) {
        for (const auto& source : organization.sources) {
            if (!source.crawl) continue;
            GraphAccess graph;
            graph.source = graph_source_for(config_, organization, source);
            graph.tokens = tokens_.get();
            graph.limiter = limiter_.get();
            graph.max_attempts = config_.agent.graph_max_attempts;
            graph.service_account_groups = source.service_account_groups;
            graph.service_accounts = &service_accounts_;
            for (const auto& connector : source.connectors) {
                if (!connector.enabled) continue;
                const PluginInfo* plugin = registry.find(connector.name, VIGIL_KIND_CONNECTOR);
                JobIdentity identity{organization.name, source.source_group, source.tenant_id, connector.name};
                auto job = std::make_unique<ConnectorJob>(
                    identity, *plugin, connector, config_.find_credential(source.credential), *spool_, stopping_, graph,
                    StateOptions{config_.agent.state_retention_ms});
                job->create();
                jobs_.push_back(std::move(job));
            }
        }
    }
    std::vector<std::string> names;
    for (const auto& output : config_.outputs) {
        auto runner = std::make_unique<OutputRunner>(*registry.find(output.type, VIGIL_KIND_OUTPUT), output, *spool_);
        runner->create();
        names.push_back(output.name);
        outputs_.push_back(std::move(runner));
    }
    spool_->set_outputs(names);
    board_ =
        std::make_unique<StatusBoard>(jobs_, outputs_, *spool_, service_accounts_, wall_clock_ms(), version_text());
}

StatusSnapshot Agent::status() const {
    return board_->snapshot(wall_clock_ms());
}

uint16_t Agent::status_port() const {
    return status_server_ ? status_server_->port() : 0;
}

Agent::~Agent() {
    status_server_.reset();
    stop();
    if (scheduler_) scheduler_->wait();
    stop_outputs(std::chrono::steady_clock::now());
}

void Agent::start(bool once) {
    for (auto& output : outputs_) output->start();
    std::vector<ScheduledJob*> jobs;
    for (auto& job : jobs_) jobs.push_back(job.get());
    Scheduler::Options options;
    options.workers = config_.agent.workers;
    options.once = once;
    std::lock_guard lock(lifecycle_mutex_);
    scheduler_ = std::make_unique<Scheduler>(jobs, options, [this] { return hooks_->make(); });
    if (stopping_) return;  // stopped before it started: the scheduler runs nothing and wait() returns at once
    scheduler_->start();
    spdlog::info("agent started: {} collection jobs, {} outputs, up to {} workers", jobs_.size(), outputs_.size(),
                 options.workers);
}

void Agent::stop() {
    std::lock_guard lock(lifecycle_mutex_);
    stopping_ = true;
    if (scheduler_) scheduler_->request_stop();
}

void Agent::stop_outputs(std::chrono::steady_clock::time_point deadline) {
    for (auto& output : outputs_) output->stop(deadline);
}

int Agent::run() {
    if (!config_.agent.status_listen.empty()) {
        status_server_ = std::make_unique<StatusServer>(config_.agent.status_listen, config_.agent.status_token,
                                                        [this] { return status(); });
    }
    start(false);
    scheduler_->wait();  // returns after stop()
    stop_outputs(std::chrono::steady_clock::now() + kStopGrace);
    status_server_.reset();
    spdlog::info("agent stopped");
    return 0;
}

int Agent::run_once() {
    start(true);
    scheduler_->wait();
    const size_t failed = scheduler_->failed_runs();
    const uint64_t head = spool_->head();
    const auto deadline = std::chrono::steady_clock::now() + (stopping_ ? kStopGrace : kOnceDeliveryTimeout);
    bool delivered = true;
    for (auto& output : outputs_) {
        if (!output->wait_delivered(head, deadline)) {
            spdlog::error("output '{}' did not deliver every event in time; they stay spooled for the next run",
                          output->name());
            delivered = false;
        }
    }
    stop_outputs(std::chrono::steady_clock::now());
    if (failed > 0) spdlog::error("{} of {} collection jobs failed; see the errors above", failed, jobs_.size());
    spdlog::info("one cycle done: {} jobs, {} failed", jobs_.size(), failed);
    return failed == 0 && delivered ? 0 : 1;
}

}  // namespace vigil
