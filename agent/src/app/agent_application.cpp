#include "app/agent_application.hpp"

#include "app/agent.hpp"
#include "app/termination_signals.hpp"
#include "config/config_loader.hpp"
#include "logging/logging.hpp"
#include "report/text_table.hpp"
#include "status/status_formats.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

namespace vigil {

AgentApplication::AgentApplication(std::unique_ptr<Config> config, std::unique_ptr<PluginRegistry> registry, bool once)
    : config_(std::move(config)), registry_(std::move(registry)), once_(once) {}

void AgentApplication::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    stopOptionsProcessing();  // vigil's own command line was parsed already
}

int AgentApplication::main(const std::vector<std::string>&) {
    TerminationSignals signals;  // before any thread starts
    configure_logging(config_->agent.log);
    std::unique_ptr<Agent> agent;
    try {
        agent = std::make_unique<Agent>(*config_, *registry_);
    } catch (const std::exception& failure) {
        spdlog::error("start-up failed: {}", failure.what());
        std::cerr << "vigil: start-up failed: " << failure.what() << "\n";
        return 1;
    }
    signals.watch([&agent](int signal) {
        spdlog::info("signal {} received: stopping (finishing the pages in hand)", signal);
        agent->stop();
    });
    int code = 1;
    try {
        code = once_ ? agent->run_once() : agent->run();
    } catch (const std::exception& failure) {
        spdlog::error("start-up failed: {}", failure.what());
        std::cerr << "vigil: start-up failed: " << failure.what() << "\n";
    }
    signals.stop_watching();  // a stop() in progress on the watcher thread finishes before the agent goes
    if (once_) std::cout << run_summary(agent->status(), terminal_width()) << std::flush;
    agent.reset();
    spdlog::default_logger()->flush();
    return code;
}

}  // namespace vigil
