#pragma once

#include "config/problem.hpp"
#include "plugins/plugin_schema.hpp"

#include <vigil/plugin.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace Poco {
class SharedLibrary;
}

namespace vigil {

// A plugin the agent can instantiate: a built-in or one loaded from a shared library.
struct PluginInfo {
    const vigil_plugin_descriptor* descriptor = nullptr;  // plugin-owned, static for the library's lifetime
    std::string path;                                     // "(built-in)" for built-ins
    std::vector<KeySpec> schema;
    std::shared_ptr<Poco::SharedLibrary> library;  // keeps the code mapped while any instance lives
    std::vector<std::string> graph_probes;         // connector: what `vigil doctor` checks (ABI 1.1)
    std::string sha256;                            // the file's digest (lower-case hex); empty for built-ins

    std::string name() const { return descriptor->name; }
    vigil_plugin_kind kind() const { return descriptor->kind; }
};

// Every plugin known to this agent process, by unique name.
class PluginRegistry {
public:
    PluginRegistry();
    ~PluginRegistry();

    // Registers a plugin compiled into the agent. Throws std::logic_error on a broken descriptor (a bug of ours).
    void add_builtin(const vigil_plugin_descriptor* descriptor);

    // Loads every plugin file (*.so, *.dll, *.dylib) in the folders. Each file that cannot be used becomes one
    // problem naming the file and what to do; the others still load. With an allow list, a file whose SHA-256 is
    // not in it is never opened (opening a library runs its code) and is named in not_allowed, a warning: the
    // agent runs without it, and a connector it would have provided is then unknown.
    void scan(const std::vector<std::string>& plugin_dirs, std::vector<Problem>& problems,
              const std::optional<std::vector<std::string>>& allow = std::nullopt,
              std::vector<Problem>* not_allowed = nullptr);

    // Loads one file; throws std::runtime_error with the reason.
    void load_file(const std::string& path, const std::optional<std::vector<std::string>>& allow = std::nullopt);

    const PluginInfo* find(const std::string& name) const;
    const PluginInfo* find(const std::string& name, vigil_plugin_kind kind) const;
    std::vector<std::string> names(vigil_plugin_kind kind) const;
    const std::vector<PluginInfo>& all() const { return plugins_; }

private:
    void add(PluginInfo info);

    std::vector<PluginInfo> plugins_;
};

// Thrown by load_file for a file whose digest is not in the allow list.
class PluginNotAllowed : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Why a descriptor cannot be used, or empty when it is well-formed: checked before anything else is read from it.
std::string check_descriptor(const vigil_plugin_descriptor* descriptor);

// Why a plugin file (or its folder) must not be loaded, or empty: refuses files anyone but the owner can change.
std::string check_plugin_permissions(const std::string& path);

}  // namespace vigil
