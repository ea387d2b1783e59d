#include "app/agent_application.hpp"

#include "app/agent.hpp"
#include "app/commands.hpp"
#include "app/process_signals.hpp"
#include "logging/logging.hpp"
#include "report/text_table.hpp"
#include "status/status_formats.hpp"

#include <spdlog/spdlog.h>

#include <iostream>
#include <mutex>

namespace vigil {

AgentApplication::AgentApplication(std::string config_file, std::unique_ptr<Config> config,
                                   std::unique_ptr<PluginRegistry> registry, bool once)
    : config_file_(std::move(config_file)), config_(std::move(config)), registry_(std::move(registry)), once_(once) {}

void AgentApplication::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    stopOptionsProcessing();  // vigil's own command line was parsed already
}

int AgentApplication::main(const std::vector<std::string>&) {
    ProcessSignals signals;  // before any thread starts
    configure_logging(config_->agent.log);

    // Shared with the signal thread. The callbacks hold the mutex for their whole body, logging included: the main
    // thread replaces spdlog's default logger under it on a reload, and spdlog's default logger may not be replaced
    // while another thread logs through it.
    std::mutex mutex;
    Agent* running = nullptr;
    bool stop_requested = false;
    std::unique_ptr<Config> next_config;
    std::unique_ptr<PluginRegistry> next_registry;
    signals.watch(
        [&](int signal) {
            std::lock_guard lock(mutex);
            spdlog::info("signal {} received: stopping (finishing the pages in hand)", signal);
            stop_requested = true;
            if (running != nullptr) running->stop();
        },
        [&] {
            std::lock_guard lock(mutex);
            if (once_) {
                spdlog::warn("SIGHUP: a --once run does not reload its configuration");
                return;
            }
            spdlog::info("SIGHUP: reloading {}", config_file_);
            auto registry = std::make_unique<PluginRegistry>();
            auto config = load_for_reload(config_file_, *registry);
            if (!config) return;  // its problems are logged; the running agent goes on
            next_config = std::move(config);
            next_registry = std::move(registry);
            if (running != nullptr) running->stop();
        });

    // The configuration that last started: where a reload whose agent cannot start goes back to.
    std::unique_ptr<Config> previous_config;
    std::unique_ptr<PluginRegistry> previous_registry;
    int code = 0;
    bool first = true;
    while (true) {
        std::unique_ptr<Agent> agent;
        try {
            agent = std::make_unique<Agent>(*config_, *registry_);
        } catch (const std::exception& failure) {
            if (first || !previous_config) {
                spdlog::error("start-up failed: {}", failure.what());
                std::cerr << "vigil: start-up failed: " << failure.what() << "\n";
                code = 1;
                break;
            }
            spdlog::error("the reloaded configuration could not start ({}); going back to the one that ran before",
                          failure.what());
            config_ = std::move(previous_config);
            registry_ = std::move(previous_registry);
            std::lock_guard lock(mutex);  // the signal thread may be logging
            configure_logging(config_->agent.log);
            continue;
        }
        if (!first) spdlog::info("configuration reloaded: {} collection jobs", agent->job_count());
        first = false;
        previous_config.reset();
        previous_registry.reset();
        {
            std::lock_guard lock(mutex);
            if (stop_requested) break;
            running = agent.get();
        }
        try {
            code = once_ ? agent->run_once() : agent->run();
        } catch (const std::exception& failure) {
            spdlog::error("start-up failed: {}", failure.what());
            std::cerr << "vigil: start-up failed: " << failure.what() << "\n";
            code = 1;
        }
        {
            std::lock_guard lock(mutex);
            running = nullptr;
        }
        if (once_) std::cout << run_summary(agent->status(), terminal_width()) << std::flush;
        agent.reset();  // every thread of the old agent is joined here: the spool is free for the next one
        std::lock_guard lock(mutex);
        if (stop_requested || !next_config || code != 0) break;
        previous_config = std::move(config_);
        previous_registry = std::move(registry_);
        config_ = std::move(next_config);
        registry_ = std::move(next_registry);
        configure_logging(config_->agent.log);
    }
    signals.stop_watching();  // a callback in progress on the watcher thread finishes before what it uses goes
    spdlog::default_logger()->flush();
    return code;
}

}  // namespace vigil
