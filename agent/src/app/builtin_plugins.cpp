#include "app/builtin_plugins.hpp"

#include "outputs/jsonl_output.hpp"
#include "plugins/plugin_registry.hpp"

namespace vigil {

void register_builtin_plugins(PluginRegistry& registry) {
    registry.add_builtin(jsonl_output_descriptor());
}

}  // namespace vigil
