#pragma once

#include "app/cli.hpp"
#include "config/config.hpp"

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

}  // namespace vigil
