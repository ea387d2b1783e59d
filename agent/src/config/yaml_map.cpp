#include "config/yaml_map.hpp"

#include "config/references.hpp"
#include "util/duration.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

namespace vigil {

namespace {

std::string join(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : ", ") + item;
    return text;
}

size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

const char* kind_of(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Map:
            return "a mapping";
        case YAML::NodeType::Sequence:
            return "a list";
        case YAML::NodeType::Null:
            return "nothing";
        default:
            return "a single value";
    }
}

}  // namespace

std::string closest_key(const std::string& key, const std::vector<std::string>& allowed) {
    std::string best;
    size_t best_distance = 3;  // suggest only close misspellings
    for (const auto& candidate : allowed) {
        const size_t distance = edit_distance(key, candidate);
        if (distance < best_distance) best = candidate, best_distance = distance;
    }
    return best;
}

Position ReadContext::at(const YAML::Node& node) const {
    const YAML::Mark mark = node.Mark();
    if (mark.is_null()) return Position{file, 0, 0};
    return Position{file, mark.line + 1, mark.column + 1};
}

void ReadContext::error(const YAML::Node& node, const std::string& message) const {
    problems->push_back(Problem{at(node), message});
}

void ReadContext::warn(const YAML::Node& node, const std::string& message) const {
    warnings->push_back(Problem{at(node), message});
}

void ReadContext::literal_secret(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar() || has_reference(node.Scalar())) return;
    struct stat status {};
    if (::stat(file.c_str(), &status) == 0 && (status.st_mode & (S_IRGRP | S_IROTH)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(status.st_mode & 07777));
        error(node, what + " is written in the file, which group or others can read (mode " + mode + "): chmod 600 " +
                        file +
                        " (owned by the user the agent runs as), or keep the secret out of it with ${env:NAME} "
                        "or ${file:PATH}");
        return;
    }
    warn(node, what + " is written in the file: use ${env:NAME} or ${file:PATH} to keep it out");
}

std::optional<std::string> ReadContext::scalar(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) {
        error(node, what + " must be a single value, not " + kind_of(node));
        return std::nullopt;
    }
    std::string message;
    auto expanded = expand_references(node.Scalar(), base_dir, message);
    if (!expanded) error(node, what + ": " + message);
    return expanded;
}

std::optional<bool> ReadContext::boolean(const YAML::Node& node, const std::string& what) const {
    const auto text = scalar(node, what);
    if (!text) return std::nullopt;
    if (*text == "true") return true;
    if (*text == "false") return false;
    error(node, what + " must be true or false, not '" + *text + "'");
    return std::nullopt;
}

std::optional<int64_t> ReadContext::integer(const YAML::Node& node, const std::string& what) const {
    const auto text = scalar(node, what);
    if (!text) return std::nullopt;
    try {
        size_t used = 0;
        const long long value = std::stoll(*text, &used);
        if (used == text->size()) return value;
    } catch (const std::exception&) {
    }
    error(node, what + " must be a whole number, not '" + *text + "'");
    return std::nullopt;
}

std::optional<int64_t> ReadContext::duration_ms(const YAML::Node& node, const std::string& what) const {
    const auto text = scalar(node, what);
    if (!text) return std::nullopt;
    const auto value = parse_duration_ms(*text);
    if (!value) {
        error(node, what + ": bad duration '" + *text + "': write a whole number and a unit, like 30s, 5m, 24h or 7d");
    }
    return value;
}

std::optional<std::vector<std::string>> ReadContext::string_list(const YAML::Node& node,
                                                                 const std::string& what) const {
    if (!node.IsSequence()) {
        error(node, what + " must be a list, like [a, b], not " + kind_of(node));
        return std::nullopt;
    }
    std::vector<std::string> items;
    bool ok = true;
    for (const auto& item : node) {
        if (auto text = scalar(item, "each item of " + what)) {
            items.push_back(std::move(*text));
        } else {
            ok = false;
        }
    }
    if (!ok) return std::nullopt;
    return items;
}

std::string ReadContext::resolve_path(const std::string& path) const {
    if (path.empty()) return path;
    const std::filesystem::path value(path);
    if (value.is_absolute()) return path;
    return (std::filesystem::path(base_dir) / value).lexically_normal().string();
}

YamlMap::YamlMap(const ReadContext& context, const YAML::Node& node, std::string what,
                 std::vector<std::string> allowed_keys)
    : context_(context), node_(node), what_(std::move(what)) {
    if (!node.IsMap()) {
        context_.error(node, what_ + " must be a mapping of keys to values, not " + kind_of(node));
        return;
    }
    valid_ = true;
    std::set<std::string> seen;
    for (const auto& entry : node) {
        const std::string key = entry.first.Scalar();
        if (!seen.insert(key).second) {
            context_.error(entry.first, "duplicate key '" + key + "' in " + what_ + ": keep one of them");
            continue;
        }
        if (std::find(allowed_keys.begin(), allowed_keys.end(), key) != allowed_keys.end()) continue;
        std::string message = "unknown key '" + key + "' in " + what_;
        if (const std::string hint = closest_key(key, allowed_keys); !hint.empty()) {
            message += ": did you mean '" + hint + "'?";
        } else {
            message += " (expected one of: " + join(allowed_keys) + ")";
        }
        context_.error(entry.first, message);
    }
}

YAML::Node YamlMap::get(const std::string& key) const {
    if (!valid_) return YAML::Node(YAML::NodeType::Undefined);
    for (const auto& entry : node_) {
        if (entry.first.Scalar() == key) return entry.second;
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

YAML::Node YamlMap::require(const std::string& key) const {
    YAML::Node value = get(key);
    if (valid_ && !value.IsDefined()) context_.error(node_, "missing required key '" + key + "' in " + what_);
    return value;
}

std::optional<std::string> YamlMap::string(const std::string& key, bool required) const {
    const YAML::Node value = required ? require(key) : get(key);
    if (!value.IsDefined()) return std::nullopt;
    auto text = context_.scalar(value, label(key));
    if (text && required && text->empty()) {
        context_.error(value, label(key) + " must not be empty");
        return std::nullopt;
    }
    return text;
}

std::string YamlMap::string_or(const std::string& key, const std::string& fallback) const {
    return string(key).value_or(fallback);
}

std::string YamlMap::path_or(const std::string& key, const std::string& fallback) const {
    return context_.resolve_path(string(key).value_or(fallback));
}

bool YamlMap::bool_or(const std::string& key, bool fallback) const {
    const YAML::Node value = get(key);
    if (!value.IsDefined()) return fallback;
    return context_.boolean(value, label(key)).value_or(fallback);
}

int64_t YamlMap::int_or(const std::string& key, int64_t fallback) const {
    const YAML::Node value = get(key);
    if (!value.IsDefined()) return fallback;
    return context_.integer(value, label(key)).value_or(fallback);
}

int64_t YamlMap::duration_or(const std::string& key, int64_t fallback_ms) const {
    const YAML::Node value = get(key);
    if (!value.IsDefined()) return fallback_ms;
    return context_.duration_ms(value, label(key)).value_or(fallback_ms);
}

std::vector<std::string> YamlMap::list_or(const std::string& key, std::vector<std::string> fallback) const {
    const YAML::Node value = get(key);
    if (!value.IsDefined()) return fallback;
    return context_.string_list(value, label(key)).value_or(std::move(fallback));
}

std::string YamlMap::choice_or(const std::string& key, std::initializer_list<const char*> choices,
                               const std::string& fallback) const {
    const auto text = string(key);
    if (!text) return fallback;
    for (const char* choice : choices) {
        if (*text == choice) return *text;
    }
    std::vector<std::string> names(choices.begin(), choices.end());
    context_.error(get(key), label(key) + " must be one of " + join(names) + ", not '" + *text + "'");
    return fallback;
}

}  // namespace vigil
