#pragma once

#include "config/plugin_settings.hpp"
#include "config/yaml_map.hpp"

#include <vigil/plugin.h>

#include <optional>
#include <string>
#include <vector>

namespace vigil {

// One key of a plugin's schema, copied out of the descriptor (reading only the fields its struct_size covers).
struct KeySpec {
    std::string name;
    vigil_value_type type = VIGIL_VALUE_STRING;
    bool required = false;
    std::optional<std::string> default_value;
    std::string help;
    int64_t min_value = 0;
    int64_t max_value = 0;
};

std::vector<KeySpec> schema_of(const vigil_plugin_descriptor& descriptor);
const char* type_name(vigil_value_type type);

// Checks a default written by a plugin author, so a broken schema is reported when the plugin loads, not when a
// user happens to omit the key. Returns an error sentence, or empty.
std::string check_default(const KeySpec& key);

// Sets every key of the schema that settings lacks to its default (or the empty value of its type), as if the user
// had omitted it in YAML: for outputs the agent configures itself.
void apply_defaults(const std::vector<KeySpec>& schema, PluginSettings& settings);

// Reads the plugin's keys from a YAML mapping the caller has already checked for unknown keys (host keys plus
// schema keys). Records a problem for every missing required key, wrong type and out-of-range value.
PluginSettings read_plugin_settings(const YamlMap& map, const std::string& plugin_name,
                                    const std::vector<KeySpec>& schema);

}  // namespace vigil
