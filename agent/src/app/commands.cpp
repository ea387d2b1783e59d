#include "app/commands.hpp"

#include "app/agent.hpp"
#include "app/agent_application.hpp"
#include "app/builtin_plugins.hpp"
#include "config/config_loader.hpp"
#include "plugins/plugin_registry.hpp"

#include <vigil/plugin.h>

#include <iomanip>
#include <iostream>
#include <memory>

namespace vigil {

namespace {

void print_problems(const std::vector<Problem>& problems, const char* prefix) {
    for (const auto& problem : problems) {
        Problem shown = problem;
        shown.message = prefix + shown.message;
        std::cerr << shown.to_string() << "\n";
    }
}

// Loads the configuration and its plugins, printing every problem; nullptr when the configuration is invalid.
std::unique_ptr<Config> load_or_report(const std::string& file, PluginRegistry& registry) {
    register_builtin_plugins(registry);
    try {
        auto config = std::make_unique<Config>(load_config(file, registry));
        print_problems(config->warnings, "warning: ");
        return config;
    } catch (const ConfigError& failure) {
        print_problems(failure.problems(), "");
        std::cerr << "vigil: " << failure.problems().size()
                  << " problem(s) in the configuration; nothing was started\n";
        return nullptr;
    }
}

size_t count_jobs(const Config& config, size_t& sources) {
    size_t jobs = 0;
    for (const auto& organization : config.organizations) {
        for (const auto& source : organization.sources) {
            ++sources;
            if (!source.crawl) continue;
            for (const auto& connector : source.connectors) jobs += connector.enabled ? 1 : 0;
        }
    }
    return jobs;
}

}  // namespace

std::optional<Config> load_config_or_explain(const std::string& file, PluginRegistry& registry) {
    register_builtin_plugins(registry);
    try {
        return load_config(file, registry);
    } catch (const ConfigError& failure) {
        for (const auto& problem : failure.problems()) std::cerr << problem.to_string() << "\n";
        std::cerr << "vigil: fix the configuration first (vigil validate)\n";
        return std::nullopt;
    }
}

std::string version_text() {
    return "0.1.0 (plugin ABI " + std::to_string(VIGIL_ABI_MAJOR) + "." + std::to_string(VIGIL_ABI_MINOR) + ")";
}

int command_validate(const CommandLine& line) {
    PluginRegistry registry;
    const auto config = load_or_report(line.config_file, registry);
    if (!config) return 2;
    size_t sources = 0;
    const size_t jobs = count_jobs(*config, sources);
    std::cout << line.config_file << ": valid: " << config->organizations.size() << " organization(s), " << sources
              << " source(s), " << jobs << " collection job(s), " << config->outputs.size() << " output(s), "
              << registry.all().size() << " plugin(s)\n";
    return 0;
}

int command_plugins_list(const CommandLine& line) {
    PluginRegistry registry;
    register_builtin_plugins(registry);
    ConfigLoader loader(line.config_file);  // only agent.plugin_dirs is needed here
    std::vector<Problem> problems;
    registry.scan(loader.agent().plugin_dirs, problems);
    std::cout << std::left << std::setw(20) << "NAME" << std::setw(11) << "KIND" << std::setw(10) << "VERSION"
              << std::setw(6) << "ABI"
              << "PATH\n";
    for (const PluginInfo& plugin : registry.all()) {
        const auto* d = plugin.descriptor;
        std::cout << std::setw(20) << plugin.name() << std::setw(11)
                  << (plugin.kind() == VIGIL_KIND_CONNECTOR ? "connector" : "output") << std::setw(10) << d->version
                  << std::setw(6) << (std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor)) << plugin.path
                  << "\n";
        for (const KeySpec& key : plugin.schema) {
            std::cout << "    " << key.name << " (" << type_name(key.type)
                      << (key.required        ? ", required"
                          : key.default_value ? ", default " + *key.default_value
                                              : "")
                      << ")" << (key.help.empty() ? "" : ": " + key.help) << "\n";
        }
    }
    print_problems(problems, "");
    return problems.empty() ? 0 : 1;
}

int command_run(const CommandLine& line, const char* program) {
    auto registry = std::make_unique<PluginRegistry>();
    auto config = load_or_report(line.config_file, *registry);
    if (!config) return 2;
    AgentApplication application(std::move(config), std::move(registry), line.once);
    char* args[] = {const_cast<char*>(program), nullptr};
    return application.run(1, args);
}

}  // namespace vigil
