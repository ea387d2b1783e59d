#include "plugins/plugin_schema.hpp"

#include "util/duration.hpp"

#include <cstddef>

namespace vigil {

namespace {

// True when the struct the plugin filled in is large enough to hold `field`.
template <class Struct, class Field>
bool has_field(const Struct& object, const Field Struct::*field) {
    const auto offset = reinterpret_cast<const char*>(&(object.*field)) - reinterpret_cast<const char*>(&object);
    return static_cast<size_t>(offset) + sizeof(Field) <= object.struct_size;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    size_t start = 0;
    while (start <= text.size() && !text.empty()) {
        const size_t comma = text.find(',', start);
        items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return items;
}

std::string range_text(const KeySpec& key) {
    if (key.type == VIGIL_VALUE_DURATION)
        return format_duration(key.min_value) + " to " + format_duration(key.max_value);
    return std::to_string(key.min_value) + " to " + std::to_string(key.max_value);
}

bool has_range(const KeySpec& key) {
    return key.max_value > key.min_value;
}

// Converts a default's text; nullopt when it does not parse as the key's type.
std::optional<PluginSettings::Value> parse_default(const KeySpec& key, const std::string& text) {
    switch (key.type) {
        case VIGIL_VALUE_BOOL:
            if (text == "true") return PluginSettings::Value(true);
            if (text == "false") return PluginSettings::Value(false);
            return std::nullopt;
        case VIGIL_VALUE_INT:
            try {
                size_t used = 0;
                const int64_t value = std::stoll(text, &used);
                if (used == text.size()) return PluginSettings::Value(value);
            } catch (const std::exception&) {
            }
            return std::nullopt;
        case VIGIL_VALUE_DURATION:
            if (const auto ms = parse_duration_ms(text)) return PluginSettings::Value(*ms);
            return std::nullopt;
        case VIGIL_VALUE_STRING:
        case VIGIL_VALUE_PATH:
            return PluginSettings::Value(text);
        case VIGIL_VALUE_STRING_LIST:
            return PluginSettings::Value(split_list(text));
    }
    return std::nullopt;
}

// The value a key takes when the user omits it: its default, or the empty value of its type.
void set_default(const KeySpec& key, PluginSettings& settings) {
    if (key.default_value) {
        if (auto value = parse_default(key, *key.default_value)) settings.set(key.name, std::move(*value));
        return;
    }
    switch (key.type) {
        case VIGIL_VALUE_BOOL:
            settings.set(key.name, false);
            break;
        case VIGIL_VALUE_INT:
        case VIGIL_VALUE_DURATION:
            settings.set(key.name, int64_t{0});
            break;
        case VIGIL_VALUE_STRING_LIST:
            settings.set(key.name, std::vector<std::string>{});
            break;
        default:
            settings.set(key.name, std::string());
    }
}

}  // namespace

void apply_defaults(const std::vector<KeySpec>& schema, PluginSettings& settings) {
    for (const KeySpec& key : schema) {
        if (settings.find(key.name) == nullptr) set_default(key, settings);
    }
}

const char* type_name(vigil_value_type type) {
    switch (type) {
        case VIGIL_VALUE_BOOL:
            return "bool";
        case VIGIL_VALUE_INT:
            return "int";
        case VIGIL_VALUE_DURATION:
            return "duration";
        case VIGIL_VALUE_STRING:
            return "string";
        case VIGIL_VALUE_STRING_LIST:
            return "list";
        case VIGIL_VALUE_PATH:
            return "path";
    }
    return "unknown";
}

std::vector<KeySpec> schema_of(const vigil_plugin_descriptor& descriptor) {
    std::vector<KeySpec> keys;
    if (descriptor.config_keys == nullptr) return keys;
    for (const vigil_config_key* const* it = descriptor.config_keys; *it != nullptr; ++it) {
        const vigil_config_key& raw = **it;
        KeySpec key;
        if (has_field(raw, &vigil_config_key::name) && raw.name != nullptr) key.name = raw.name;
        if (has_field(raw, &vigil_config_key::type)) key.type = raw.type;
        if (has_field(raw, &vigil_config_key::required)) key.required = raw.required != 0;
        if (has_field(raw, &vigil_config_key::default_value) && raw.default_value != nullptr) {
            key.default_value = raw.default_value;
        }
        if (has_field(raw, &vigil_config_key::help) && raw.help != nullptr) key.help = raw.help;
        if (has_field(raw, &vigil_config_key::max_value)) {
            key.min_value = raw.min_value;
            key.max_value = raw.max_value;
        }
        keys.push_back(std::move(key));
    }
    return keys;
}

std::string check_default(const KeySpec& key) {
    if (key.name.empty()) return "a configuration key has no name";
    if (std::string(type_name(key.type)) == "unknown") return "key '" + key.name + "' has an unknown type";
    if (!key.default_value) return {};
    const auto value = parse_default(key, *key.default_value);
    if (!value)
        return "key '" + key.name + "' has a default '" + *key.default_value + "' that is not a valid " +
               type_name(key.type);
    return {};
}

PluginSettings read_plugin_settings(const YamlMap& map, const std::string& plugin_name,
                                    const std::vector<KeySpec>& schema) {
    const ReadContext& context = map.context();
    PluginSettings settings;
    for (const KeySpec& key : schema) {
        const YAML::Node node = map.get(key.name);
        const std::string label = "'" + key.name + "' of " + plugin_name;
        if (!node.IsDefined()) {
            if (key.required && map.valid()) {
                context.error(map.node(), "missing required key '" + key.name + "' for " + plugin_name +
                                              (key.help.empty() ? "" : " (" + key.help + ")"));
            } else {
                set_default(key, settings);
            }
            continue;
        }
        switch (key.type) {
            case VIGIL_VALUE_BOOL:
                if (auto value = context.boolean(node, label)) settings.set(key.name, *value);
                break;
            case VIGIL_VALUE_INT:
            case VIGIL_VALUE_DURATION: {
                const auto value =
                    key.type == VIGIL_VALUE_INT ? context.integer(node, label) : context.duration_ms(node, label);
                if (!value) break;
                if (has_range(key) && (*value < key.min_value || *value > key.max_value)) {
                    context.error(node, label + " must be from " + range_text(key));
                    break;
                }
                settings.set(key.name, *value);
                break;
            }
            case VIGIL_VALUE_STRING:
            case VIGIL_VALUE_PATH:
                if (auto value = context.scalar(node, label)) {
                    settings.set(key.name, key.type == VIGIL_VALUE_PATH ? context.resolve_path(*value) : *value);
                }
                break;
            case VIGIL_VALUE_STRING_LIST:
                if (auto value = context.string_list(node, label)) settings.set(key.name, std::move(*value));
                break;
        }
    }
    return settings;
}

}  // namespace vigil
