#pragma once

#include "config/config.hpp"
#include "config/yaml_map.hpp"

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace vigil {

class PluginRegistry;

// Reads a configuration in two phases, because the connectors and outputs it may name come from plugins found in
// the folders the configuration itself lists:
//   1. the constructor parses the main file and conf.d/*.yaml and reads `agent:` (plugin_dirs among it);
//   2. finish() reads the rest against the loaded plugins' schemas and throws ConfigError with every problem.
class ConfigLoader {
public:
    explicit ConfigLoader(const std::string& main_file);

    const AgentConfig& agent() const { return config_.agent; }
    std::vector<Problem>& problems() { return problems_; }

    Config finish(const PluginRegistry& registry);

private:
    struct Document {
        ReadContext context;
        YAML::Node root;
        bool is_main = false;
    };

    void parse_file(const std::string& path, bool is_main);
    void read_agent(const Document& document, const YAML::Node& node);
    void read_plugin_allow_list(const Document& document, const YAML::Node& node);
    void read_credentials(const Document& document, const YAML::Node& node);
    void read_organizations(const Document& document, const YAML::Node& node, const PluginRegistry& registry);
    void read_source(const Document& document, const YAML::Node& node, const PluginRegistry& registry,
                     OrganizationConfig& organization);
    void read_connectors(const ReadContext& context, const YAML::Node& node, const PluginRegistry& registry,
                         SourceConfig& source);
    void read_outputs(const Document& document, const YAML::Node& node, const PluginRegistry& registry);
    // Adds a built-in output the configuration did not list, writing to path, with its plugin's defaults.
    void add_implicit_output(const PluginRegistry& registry, const std::string& type, const std::string& path);
    void check_references();

    Config config_;
    std::vector<Document> documents_;
    std::vector<Problem> problems_;
    bool outputs_listed_ = false;
    bool store_listed_ = false;  // an output of type store, enabled or not: otherwise the default store is added
};

// Helpers shared by the loader's files.
bool is_guid(const std::string& text);
std::string where_text(const Position& position);
std::string join_names(const std::vector<std::string>& names);

// The whole load: parse, scan the plugin folders into registry (which should already hold the built-ins), finish,
// then let each plugin check its settings by creating an instance (check_plugin_instances).
Config load_config(const std::string& main_file, PluginRegistry& registry);

}  // namespace vigil
