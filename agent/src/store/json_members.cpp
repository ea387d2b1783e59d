#include "store/json_members.hpp"

#include <simdjson.h>

#include <utility>

namespace vigil {

namespace {

using Members = std::vector<std::pair<std::string, std::string>>;

Members members_of(std::string_view text) {
    Members members;
    simdjson::dom::parser parser;
    simdjson::dom::object object;
    if (parser.parse(text.data(), text.size(), true).get(object) != simdjson::SUCCESS) return members;
    for (const auto field : object) members.emplace_back(std::string(field.key), simdjson::to_string(field.value));
    return members;
}

const std::string* find(const Members& members, const std::string& name) {
    for (const auto& [key, value] : members) {
        if (key == name) return &value;
    }
    return nullptr;
}

}  // namespace

std::vector<PropertyChange> changed_members(std::string_view old_object, std::string_view new_object) {
    const Members before = members_of(old_object);
    const Members after = members_of(new_object);
    std::vector<PropertyChange> changes;
    for (const auto& [name, value] : after) {
        const std::string* old_value = find(before, name);
        if (old_value == nullptr || *old_value != value)
            changes.push_back({name, old_value ? *old_value : "null", value});
    }
    for (const auto& [name, value] : before) {
        if (find(after, name) == nullptr) changes.push_back({name, value, "null"});
    }
    return changes;
}

std::vector<PropertyChange> all_members(std::string_view object, bool as_new) {
    std::vector<PropertyChange> changes;
    for (auto& [name, value] : members_of(object)) {
        changes.push_back(as_new ? PropertyChange{name, "null", std::move(value)}
                                 : PropertyChange{name, std::move(value), "null"});
    }
    return changes;
}

}  // namespace vigil
