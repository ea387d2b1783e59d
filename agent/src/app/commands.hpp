#pragma once

#include "app/cli.hpp"

#include <string>

namespace vigil {

std::string version_text();
int command_validate(const CommandLine& line);
int command_plugins_list(const CommandLine& line);
int command_run(const CommandLine& line, const char* program);

}  // namespace vigil
