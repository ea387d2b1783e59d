#pragma once

#include <vigil/plugin.h>

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace vigil {

// A plugin's validated configuration: every key of its schema with a value (given or default). The host hands it
// to the plugin's create() through the vigil_config accessors of the host table.
class PluginSettings {
public:
    using Value = std::variant<bool, int64_t, std::string, std::vector<std::string>>;

    void set(const std::string& key, Value value) { values_[key] = std::move(value); }
    const Value* find(const std::string& key) const;
    const std::map<std::string, Value>& values() const { return values_; }
    bool operator==(const PluginSettings&) const = default;

private:
    std::map<std::string, Value> values_;
};

}  // namespace vigil

// The opaque type of the C ABI is the host's PluginSettings.
struct vigil_config {
    vigil::PluginSettings settings;
};
