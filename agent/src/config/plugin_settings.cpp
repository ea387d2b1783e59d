#include "config/plugin_settings.hpp"

namespace vigil {

const PluginSettings::Value* PluginSettings::find(const std::string& key) const {
    const auto it = values_.find(key);
    return it == values_.end() ? nullptr : &it->second;
}

}  // namespace vigil
