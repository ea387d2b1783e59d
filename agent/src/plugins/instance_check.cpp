#include "plugins/instance_check.hpp"

#include "plugins/host_context.hpp"
#include "plugins/plugin_registry.hpp"
#include "util/wall_clock.hpp"

namespace vigil {

namespace {

// A host context for instances that are created and destroyed without running: no events, no checkpoints.
class ProbeContext final : public vigil_host_ctx {
public:
    void log(vigil_log_level, const char*) override {}
    int64_t now_ms() override { return wall_clock_ms(); }
    bool cancelled() override { return true; }
};

std::string try_create(const PluginInfo& plugin, const PluginSettings& settings) {
    ProbeContext context;
    vigil_config config{settings};
    void* instance = nullptr;
    char error[512] = {};
    if (plugin.descriptor->create(host_table(), &context, &config, &instance, error, sizeof(error)) != VIGIL_OK) {
        return error[0] ? error : "no reason given";
    }
    plugin.descriptor->destroy(instance);
    return {};
}

}  // namespace

std::vector<Problem> check_plugin_instances(const Config& config, const PluginRegistry& registry) {
    std::vector<Problem> problems;
    for (const auto& organization : config.organizations) {
        for (const auto& source : organization.sources) {
            for (const auto& connector : source.connectors) {
                if (!connector.enabled) continue;
                const PluginInfo* plugin = registry.find(connector.name, VIGIL_KIND_CONNECTOR);
                if (plugin == nullptr) continue;
                if (const std::string error = try_create(*plugin, connector.settings); !error.empty()) {
                    problems.push_back(Problem{connector.where, "connector '" + connector.name + "' of tenant " +
                                                                    source.tenant_id +
                                                                    " refused its settings: " + error});
                }
            }
        }
    }
    for (const auto& output : config.outputs) {
        const PluginInfo* plugin = registry.find(output.type, VIGIL_KIND_OUTPUT);
        if (plugin == nullptr) continue;
        if (const std::string error = try_create(*plugin, output.settings); !error.empty()) {
            problems.push_back(Problem{output.where, "output '" + output.name + "' refused its settings: " + error});
        }
    }
    return problems;
}

}  // namespace vigil
