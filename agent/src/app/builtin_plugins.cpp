#include "app/builtin_plugins.hpp"

#include "outputs/http_output.hpp"
#include "outputs/jsonl_output.hpp"
#include "outputs/kafka_output.hpp"
#include "outputs/store_output.hpp"
#include "outputs/syslog_output.hpp"
#include "plugins/plugin_registry.hpp"

namespace vigil {

void register_builtin_plugins(PluginRegistry& registry) {
    registry.add_builtin(jsonl_output_descriptor());
    registry.add_builtin(store_output_descriptor());
    registry.add_builtin(syslog_output_descriptor());
    registry.add_builtin(http_output_descriptor());
    registry.add_builtin(kafka_output_descriptor());
}

}  // namespace vigil
