#include "plugins/plugin_registry.hpp"

#include "crypto/sha256.hpp"

#include <Poco/SharedLibrary.h>

#include <sys/stat.h>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace vigil {

namespace {

bool is_plugin_file(const std::filesystem::path& path) {
    const std::string extension = path.extension().string();
    return extension == ".so" || extension == ".dll" || extension == ".dylib";
}

bool valid_name(const char* name) {
    if (name == nullptr || !(name[0] >= 'a' && name[0] <= 'z')) return false;
    for (const char* c = name; *c != '\0'; ++c) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) return false;
    }
    return true;
}

std::string writable_by_others(const std::string& path) {
#ifdef _WIN32
    (void)path;
    return {};
#else
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return "cannot stat " + path;
    if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        return path +
               " is writable by group or others, so anyone could replace the code the agent runs: run "
               "'chmod go-w " +
               path + "'";
    }
    return {};
#endif
}

}  // namespace

std::string check_descriptor(const vigil_plugin_descriptor* descriptor) {
    if (descriptor == nullptr) return "the entry function returned no descriptor";
    if (descriptor->struct_size < offsetof(vigil_plugin_descriptor, write) + sizeof(descriptor->write)) {
        return "the descriptor is too small (" + std::to_string(descriptor->struct_size) + " bytes) for ABI 1.0";
    }
    if (descriptor->abi_major != VIGIL_ABI_MAJOR) {
        return "ABI mismatch: the plugin was built for Vigil plugin ABI " + std::to_string(descriptor->abi_major) +
               "." + std::to_string(descriptor->abi_minor) + ", this agent speaks ABI " +
               std::to_string(VIGIL_ABI_MAJOR) + "." + std::to_string(VIGIL_ABI_MINOR) +
               ": rebuild the plugin against this agent's SDK";
    }
    if (!valid_name(descriptor->name)) {
        return "the plugin name must be lower case letters, digits and '_', starting with a letter";
    }
    if (descriptor->kind != VIGIL_KIND_CONNECTOR && descriptor->kind != VIGIL_KIND_OUTPUT) {
        return std::string("plugin '") + descriptor->name + "' has an unknown kind";
    }
    if (descriptor->version == nullptr || descriptor->create == nullptr || descriptor->destroy == nullptr) {
        return std::string("plugin '") + descriptor->name + "' lacks a version, create or destroy";
    }
    if (descriptor->kind == VIGIL_KIND_CONNECTOR && descriptor->run == nullptr) {
        return std::string("connector '") + descriptor->name + "' has no run function";
    }
    if (descriptor->kind == VIGIL_KIND_OUTPUT && (descriptor->open == nullptr || descriptor->write == nullptr)) {
        return std::string("output '") + descriptor->name + "' lacks open or write";
    }
    for (const KeySpec& key : schema_of(*descriptor)) {
        if (const std::string error = check_default(key); !error.empty()) {
            return std::string("plugin '") + descriptor->name + "': " + error;
        }
    }
    return {};
}

std::string check_plugin_permissions(const std::string& path) {
    if (std::string error = writable_by_others(path); !error.empty()) return error;
    return writable_by_others(std::filesystem::path(path).parent_path().string());
}

PluginRegistry::PluginRegistry() = default;
PluginRegistry::~PluginRegistry() = default;

void PluginRegistry::add_builtin(const vigil_plugin_descriptor* descriptor) {
    if (const std::string error = check_descriptor(descriptor); !error.empty()) {
        throw std::logic_error("built-in plugin: " + error);
    }
    add(PluginInfo{descriptor, "(built-in)", schema_of(*descriptor), nullptr, {}, {}});
}

void PluginRegistry::load_file(const std::string& path, const std::optional<std::vector<std::string>>& allow) {
    if (const std::string error = check_plugin_permissions(path); !error.empty()) throw std::runtime_error(error);
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw std::runtime_error("cannot be read: check the agent's user may read it");
    // The digest of what is opened next: the allow list is checked before a single byte of it runs.
    const std::string digest = crypto::sha256_hex(bytes);
    if (allow && std::find(allow->begin(), allow->end(), digest) == allow->end()) {
        throw PluginNotAllowed("its SHA-256 (" + digest +
                               ") is not in plugins.allow, so it was not loaded: if you trust this file, add the "
                               "digest to the list; otherwise remove it from the plugin folder");
    }
    auto library = std::make_shared<Poco::SharedLibrary>();
    try {
        library->load(path);
    } catch (const Poco::Exception& failure) {
        throw std::runtime_error("not a loadable library (" + failure.displayText() +
                                 "): remove it from the plugin folder or rebuild it for this system");
    }
    if (!library->hasSymbol(VIGIL_PLUGIN_ENTRY_SYMBOL)) {
        throw std::runtime_error(std::string("not a Vigil plugin: it exports no '") + VIGIL_PLUGIN_ENTRY_SYMBOL +
                                 "' symbol (build it with the SDK's VIGIL_PLUGIN macro or remove it)");
    }
    const auto entry = reinterpret_cast<vigil_plugin_entry_fn>(library->getSymbol(VIGIL_PLUGIN_ENTRY_SYMBOL));
    const vigil_plugin_descriptor* descriptor = entry();
    if (const std::string error = check_descriptor(descriptor); !error.empty()) throw std::runtime_error(error);
    add(PluginInfo{descriptor, path, schema_of(*descriptor), std::move(library), {}, digest});
}

void PluginRegistry::scan(const std::vector<std::string>& plugin_dirs, std::vector<Problem>& problems,
                          const std::optional<std::vector<std::string>>& allow, std::vector<Problem>* not_allowed) {
    for (const std::string& dir : plugin_dirs) {
        std::error_code error;
        if (!std::filesystem::is_directory(dir, error)) {
            problems.push_back(Problem{Position{dir, 0, 0},
                                       "plugin folder does not exist or is not a folder: "
                                       "create it or fix agent.plugin_dirs"});
            continue;
        }
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
            if (entry.is_regular_file() && is_plugin_file(entry.path())) files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());  // a stable order makes duplicate reports stable
        for (const auto& file : files) {
            try {
                load_file(file.string(), allow);
            } catch (const PluginNotAllowed& refused) {
                (not_allowed != nullptr ? *not_allowed : problems)
                    .push_back(Problem{Position{file.string(), 0, 0}, refused.what()});
            } catch (const std::exception& failure) {
                problems.push_back(Problem{Position{file.string(), 0, 0}, failure.what()});
            }
        }
    }
}

void PluginRegistry::add(PluginInfo info) {
    const vigil_plugin_descriptor& d = *info.descriptor;
    if (d.struct_size >= offsetof(vigil_plugin_descriptor, graph_probes) + sizeof(d.graph_probes) &&
        d.graph_probes != nullptr) {
        for (const char* const* probe = d.graph_probes; *probe != nullptr; ++probe)
            info.graph_probes.emplace_back(*probe);
    }
    if (const PluginInfo* existing = find(info.name())) {
        throw std::runtime_error("duplicate plugin name '" + info.name() + "': also provided by " + existing->path +
                                 "; remove one of the two");
    }
    plugins_.push_back(std::move(info));
}

const PluginInfo* PluginRegistry::find(const std::string& name) const {
    for (const auto& plugin : plugins_) {
        if (plugin.name() == name) return &plugin;
    }
    return nullptr;
}

const PluginInfo* PluginRegistry::find(const std::string& name, vigil_plugin_kind kind) const {
    const PluginInfo* plugin = find(name);
    return plugin != nullptr && plugin->kind() == kind ? plugin : nullptr;
}

std::vector<std::string> PluginRegistry::names(vigil_plugin_kind kind) const {
    std::vector<std::string> result;
    for (const auto& plugin : plugins_) {
        if (plugin.kind() == kind) result.push_back(plugin.name());
    }
    std::sort(result.begin(), result.end());  // for people reading a list of choices
    return result;
}

}  // namespace vigil
