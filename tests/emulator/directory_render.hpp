#pragma once

#include "directory.hpp"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace vigil::emulator {

// A directory object as Graph's (property name, JSON value) pairs, in Graph's order.
using Properties = std::vector<std::pair<std::string, std::string>>;

// Every property the emulator knows for each type; signInActivity only when asked for (it costs a licence and a
// permission, so it is never in the default set).
Properties user_properties(const DirectoryUser& user, bool with_sign_in_activity);
Properties group_properties(const DirectoryGroup& group);
Properties role_properties(const DirectoryRole& role);
Properties application_properties(const DirectoryApplication& application);
Properties service_principal_properties(const DirectoryServicePrincipal& principal);
Properties registration_properties(const DirectoryUser& user, bool is_admin);
Properties organization_properties(const std::string& tenant_id, const std::vector<std::string>& domains);

// What a type returns without $select, and what it accepts in $select.
struct ObjectType {
    std::string name;                   // "microsoft.graph.user", for errors and @odata.type
    std::set<std::string> known;        // every property $select may name
    std::set<std::string> default_set;  // returned without $select
};
const ObjectType& user_type();
const ObjectType& group_type();
const ObjectType& role_type();
const ObjectType& application_type();
const ObjectType& service_principal_type();

// $select as Graph reads it: comma-separated names. Empty: the default set. nullopt and error set (Graph's message)
// when a name is not a property of the type.
std::optional<std::set<std::string>> read_select(const std::string& text, const ObjectType& type, std::string& error);

// Appends {"@odata.type"?,"id":...,selected properties} (id always, as Graph does).
void render_object(std::string& out, const Properties& properties, const std::set<std::string>& selected,
                   const ObjectType& type, bool with_odata_type);

// The JSON text of one property (nullopt when the object has no such property): for $filter.
std::optional<std::string> property_value(const Properties& properties, const std::string& name);

}  // namespace vigil::emulator
