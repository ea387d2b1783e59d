#pragma once

#include "config/problem.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

// Where problems go while a configuration is read, and the file being read.
struct ReadContext {
    std::string file;      // the YAML file, as the user named it
    std::string base_dir;  // its folder: relative paths and ${file:} references resolve against it
    std::vector<Problem>* problems;
    std::vector<Problem>* warnings;

    Position at(const YAML::Node& node) const;
    void error(const YAML::Node& node, const std::string& message) const;
    void warn(const YAML::Node& node, const std::string& message) const;
    // A secret (`what`: "client_secret of credential 'x'") written in the file rather than referenced: a warning
    // when only the file's owner can read it, an error when group or others can (they would read the secret).
    void literal_secret(const YAML::Node& node, const std::string& what) const;

    // The scalar with references expanded; a problem is recorded (and nullopt returned) when it is not a scalar.
    std::optional<std::string> scalar(const YAML::Node& node, const std::string& what) const;
    std::optional<bool> boolean(const YAML::Node& node, const std::string& what) const;
    std::optional<int64_t> integer(const YAML::Node& node, const std::string& what) const;
    std::optional<int64_t> duration_ms(const YAML::Node& node, const std::string& what) const;
    std::optional<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& what) const;
    std::string resolve_path(const std::string& path) const;
};

// Reads one YAML mapping: checks it is a mapping, that its keys are known and not repeated, and gives typed access
// to its values with problems recorded against the exact key or value.
class YamlMap {
public:
    YamlMap(const ReadContext& context, const YAML::Node& node, std::string what,
            std::vector<std::string> allowed_keys);

    bool valid() const { return valid_; }
    const YAML::Node& node() const { return node_; }
    const ReadContext& context() const { return context_; }
    // The value under key, or an undefined node when absent. A present key is never reported as unknown.
    YAML::Node get(const std::string& key) const;
    YAML::Node require(const std::string& key) const;  // records "missing required key" when absent

    std::optional<std::string> string(const std::string& key, bool required = false) const;
    std::string string_or(const std::string& key, const std::string& fallback) const;
    std::string path_or(const std::string& key, const std::string& fallback) const;
    bool bool_or(const std::string& key, bool fallback) const;
    int64_t int_or(const std::string& key, int64_t fallback) const;
    int64_t duration_or(const std::string& key, int64_t fallback_ms) const;
    std::vector<std::string> list_or(const std::string& key, std::vector<std::string> fallback) const;
    // Ensures the value (when present) is one of choices.
    std::string choice_or(const std::string& key, std::initializer_list<const char*> choices,
                          const std::string& fallback) const;

private:
    std::string label(const std::string& key) const { return "'" + key + "' in " + what_; }

    const ReadContext& context_;
    YAML::Node node_;
    std::string what_;
    bool valid_ = false;
};

// The allowed key closest to an unknown one, for "did you mean" hints; empty when none is close.
std::string closest_key(const std::string& key, const std::vector<std::string>& allowed);

}  // namespace vigil
