#pragma once

#include "app/cli.hpp"
#include "config/config.hpp"

#include <memory>
#include <optional>
#include <string>

namespace vigil {

std::string version_text();
int command_validate(const CommandLine& line);
int command_plugins_list(const CommandLine& line);
int command_run(const CommandLine& line, const char* program);

class PluginRegistry;
// For commands that need a valid configuration but do not check it (doctor, report): registers the built-in
// plugins, loads the file, and on problems prints each (FILE:LINE:COL: message) with a pointer to `vigil
// validate`, returning nullopt (exit code 2).
std::optional<Config> load_config_or_explain(const std::string& file, PluginRegistry& registry);

// For a reload of the running agent (SIGHUP): the same loading, with every problem and warning sent to the agent's
// log instead of stderr; nullptr when the configuration is invalid (the running one then stays).
std::unique_ptr<Config> load_for_reload(const std::string& file, PluginRegistry& registry);

}  // namespace vigil
