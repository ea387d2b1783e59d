#pragma once

#include <simdjson.h>

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace vigil::connectors {

// The state of an object as the store compares it: a JSON object of the chosen properties, always in the same
// order, each value as Graph sent it (compact). A property the record lacks keeps its value from `previous` (the
// stored state: a delta may send only what changed), else null.
std::string canonical_object(simdjson::dom::element record, std::span<const std::string_view> properties,
                             std::string_view previous = {});
inline std::string canonical_object(simdjson::dom::element record, std::initializer_list<std::string_view> properties,
                                    std::string_view previous = {}) {
    return canonical_object(record, std::span<const std::string_view>(properties.begin(), properties.size()), previous);
}

// The properties Entra State keeps per kind, in the order they are written (and the $select of their listings).
inline constexpr std::string_view kUserProperties[] = {
    "userPrincipalName",     "displayName",      "accountEnabled",   "userType",
    "creationType",          "createdDateTime",  "passwordPolicies", "lastPasswordChangeDateTime",
    "onPremisesSyncEnabled", "externalUserState"};
inline constexpr std::string_view kGroupProperties[] = {"displayName",    "description", "securityEnabled",
                                                        "mailEnabled",    "groupTypes",  "isAssignableToRole",
                                                        "createdDateTime"};
inline constexpr std::string_view kMfaProperties[] = {
    "userPrincipalName", "isMfaRegistered",   "isMfaCapable",
    "isAdmin",           "methodsRegistered", "userPreferredMethodForSecondaryAuthentication"};

// "a,b,c" of properties, for $select.
std::string select_list(std::span<const std::string_view> properties);

// Appends text as a JSON string literal.
void append_string(std::string& out, std::string_view text);

}  // namespace vigil::connectors
