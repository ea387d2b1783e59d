#include "app/commands.hpp"

#include "app/agent.hpp"
#include "app/agent_application.hpp"
#include "app/builtin_plugins.hpp"
#include "app/daemon.hpp"
#include "config/config_loader.hpp"
#include "plugins/plugin_registry.hpp"

#include <vigil/plugin.h>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>

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

std::unique_ptr<Config> load_for_reload(const std::string& file, PluginRegistry& registry) {
    register_builtin_plugins(registry);
    try {
        auto config = std::make_unique<Config>(load_config(file, registry));
        for (const auto& warning : config->warnings) spdlog::warn("{}", warning.to_string());
        return config;
    } catch (const ConfigError& failure) {
        for (const auto& problem : failure.problems()) spdlog::error("{}", problem.to_string());
        spdlog::error("the reloaded configuration has {} problem(s): the running configuration stays",
                      failure.problems().size());
        return nullptr;
    } catch (const std::exception& failure) {
        spdlog::error("the configuration could not be reloaded ({}): the running configuration stays", failure.what());
        return nullptr;
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
    std::vector<Problem> not_allowed;
    registry.scan(loader.agent().plugin_dirs, problems, loader.agent().plugin_allow, &not_allowed);
    std::cout << std::left << std::setw(20) << "NAME" << std::setw(11) << "KIND" << std::setw(10) << "VERSION"
              << std::setw(6) << "ABI"
              << "PATH\n";
    for (const PluginInfo& plugin : registry.all()) {
        const auto* d = plugin.descriptor;
        std::cout << std::setw(20) << plugin.name() << std::setw(11)
                  << (plugin.kind() == VIGIL_KIND_CONNECTOR ? "connector" : "output") << std::setw(10) << d->version
                  << std::setw(6) << (std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor)) << plugin.path
                  << "\n";
        // What plugins.allow lists to let exactly this file load.
        if (!plugin.sha256.empty()) std::cout << "    sha256 " << plugin.sha256 << "\n";
        for (const KeySpec& key : plugin.schema) {
            std::cout << "    " << key.name << " (" << type_name(key.type)
                      << (key.required        ? ", required"
                          : key.default_value ? ", default " + *key.default_value
                                              : "")
                      << ")" << (key.help.empty() ? "" : ": " + key.help) << "\n";
        }
    }
    print_problems(not_allowed, "warning: ");
    print_problems(problems, "");
    return problems.empty() ? 0 : 1;
}

int command_run(const CommandLine& line, const char* program) {
    auto registry = std::make_unique<PluginRegistry>();
    // A daemon works from /: its configuration is named absolutely, so every relative path in it (resolved from the
    // file's folder) is absolute too, and a reload finds the file again.
    const std::string config_file =
        line.daemon ? std::filesystem::absolute(line.config_file).string() : line.config_file;
    auto config = load_or_report(config_file, *registry);
    if (!config) return 2;
    std::optional<PidFileRemover> pid_file;
    if (line.daemon) {
        if (config->agent.log.file.empty()) {
            std::cerr << "vigil: --daemon needs agent.log.file in " << config_file
                      << ": a daemon has no terminal to log to\n";
            return 2;
        }
        const std::string path = std::filesystem::absolute(line.pid_file).string();
        daemonize(path);  // returns in the daemon only, before any thread starts
        pid_file.emplace(path);
    }
    AgentApplication application(config_file, std::move(config), std::move(registry), line.once);
    char* args[] = {const_cast<char*>(program), nullptr};
    return application.run(1, args);
}

}  // namespace vigil
