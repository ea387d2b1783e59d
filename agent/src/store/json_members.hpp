#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// One top-level member of a JSON object that differs between two versions; values as compact JSON text, "null"
// for a side where the member is absent.
struct PropertyChange {
    std::string name;
    std::string old_json;
    std::string new_json;
};

// The members whose values differ, in the new object's order, then those only the old one has. Text that is not
// a JSON object counts as an object with no members. Not for the hot path: state changes are few.
std::vector<PropertyChange> changed_members(std::string_view old_object, std::string_view new_object);

// Every member of object as a change from nothing (added) or to nothing (removed).
std::vector<PropertyChange> all_members(std::string_view object, bool as_new);

}  // namespace vigil
