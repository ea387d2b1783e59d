#pragma once

#include "config/config.hpp"

#include <vector>

namespace vigil {

class PluginRegistry;

// Creates (and destroys) an instance of every enabled connector and output with its configuration, the way the
// agent will, to catch what a plugin refuses beyond its schema ("failed and successful cannot both be off").
// Each refusal is a problem at the connector's or output's position. Plugins must not do I/O in create(), so this is
// safe to run from `vigil validate`.
std::vector<Problem> check_plugin_instances(const Config& config, const PluginRegistry& registry);

}  // namespace vigil
