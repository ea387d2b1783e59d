#pragma once

namespace vigil {

class PluginRegistry;

// Registers the plugins compiled into the agent, explicitly (no static-initialization tricks).
void register_builtin_plugins(PluginRegistry& registry);

}  // namespace vigil
