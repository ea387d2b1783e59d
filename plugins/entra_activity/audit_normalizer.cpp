#include "audit_normalizer.hpp"

#include "graph_page.hpp"
#include "utc_time.hpp"

#include <vigil/json_text.hpp>

#include <array>
#include <cstdint>
#include <utility>

namespace vigil::connectors {

namespace {

bool starts_with_any(std::string_view text, std::initializer_list<std::string_view> prefixes) {
    for (std::string_view prefix : prefixes) {
        if (text.substr(0, prefix.size()) == prefix) return true;
    }
    return false;
}

// The service sends "type"; the documentation's samples spell it "Type", or give only an "@odata.type" such as
// "#microsoft.graph.TargetResourceGroup" or "#microsoft.graph.targetResourceUser".
std::string_view target_type(simdjson::dom::object target) {
    std::string_view type = string_at(target, "type");
    if (type.empty()) type = string_at(target, "Type");
    if (!type.empty()) return type;
    type = string_at(target, "@odata.type");
    constexpr std::string_view kPrefix = "#microsoft.graph.";
    constexpr std::string_view kResource = "argetResource";  // TargetResource / targetResource
    if (type.substr(0, kPrefix.size()) != kPrefix) return {};
    type.remove_prefix(kPrefix.size());
    if (type.size() <= kResource.size() + 1 || type.substr(1, kResource.size()) != kResource) return {};
    return type.substr(kResource.size() + 1);
}

std::string_view display_name_or_upn(simdjson::dom::object target) {
    const std::string_view name = string_at(target, "displayName");
    if (!name.empty()) return name;
    const std::string_view upn = string_at(target, "userPrincipalName");
    if (!upn.empty()) return upn;
    const std::string_view id = string_at(target, "id");
    return id == "00000000-0000-0000-0000-000000000000" ? std::string_view{} : id;  // Graph's "no object"
}

// A target type that names nothing: the category says more.
bool says_nothing(std::string_view type) {
    return type.empty() || type == "Other" || type == "N/A";
}

void open_entry(std::string& out, std::string_view name) {
    out += out.size() > 1 ? ",{\"name\":" : "{\"name\":";
    sdk::append_json_string(out, name);
    out += ",\"old\":";
}

void text_entry(std::string& out, std::string_view name, std::string_view value) {
    open_entry(out, name);
    out += "null,\"new\":";
    sdk::append_json_string(out, value);
    out += '}';
}

}  // namespace

std::string_view audit_action(std::string_view operation_type, std::string_view activity) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kOperations{{
        {"Add", "Added"},
        {"Delete", "Removed"},
        {"Update", "Modified"},
        {"Assign", "Added"},
        {"Unassign", "Removed"},
        {"Restore", "Restored"},
    }};
    for (const auto& [operation, action] : kOperations) {
        if (operation_type == operation) return action;
    }
    if (starts_with_any(activity, {"Add", "Create", "Register", "Invite"})) return "Added";
    if (starts_with_any(activity, {"Delete", "Remove", "Hard delete"})) return "Removed";
    if (starts_with_any(activity, {"Restore"})) return "Restored";
    if (starts_with_any(activity, {"Update", "Set", "Change", "Reset", "Enable", "Disable", "Consent"})) {
        return "Modified";
    }
    return activity.empty() ? std::string_view("Modified") : activity;
}

std::string_view object_type_of_category(std::string_view category) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kCategories{{
        {"UserManagement", "User"},
        {"GroupManagement", "Group"},
        {"RoleManagement", "Role"},
        {"ApplicationManagement", "Application"},
        {"DeviceManagement", "Device"},
        {"Policy", "Policy"},
    }};
    for (const auto& [name, type] : kCategories) {
        if (category == name) return type;
    }
    return {};
}

void AuditNormalizer::append_value(std::string_view encoded) {
    // Graph sends oldValue/newValue as JSON text inside a JSON string: "[\"Sales\"]". Decoded, a one-element array
    // of a scalar reads best as the scalar; an empty array or nothing is null; text that is not JSON stays text.
    if (encoded.empty() || encoded == "[]" || encoded == "null") {
        details_ += "null";
        return;
    }
    simdjson::dom::element value;
    if (values_.parse(encoded.data(), encoded.size()).get(value) != simdjson::SUCCESS) {  // parsing validates
        sdk::append_json_string(details_, encoded);
        return;
    }
    simdjson::dom::array array;
    if (value.get_array().get(array) == simdjson::SUCCESS && array.size() == 1) {
        const simdjson::dom::element only = array.at(0).value_unsafe();
        if (!only.is_array() && !only.is_object()) {
            details_ += simdjson::minify(only);
            return;
        }
    }
    details_.append(encoded);
}

std::string_view AuditNormalizer::decoded_text(std::string_view encoded) {
    std::string_view text;
    if (values_.parse(encoded.data(), encoded.size()).get_string().get(text) != simdjson::SUCCESS) return encoded;
    return text;  // in the parser's buffer: valid until its next parse
}

bool AuditNormalizer::normalize(simdjson::dom::element record, std::string_view raw, sdk::Event& event,
                                std::string& why) {
    simdjson::dom::object audit;
    if (record.get_object().get(audit) != simdjson::SUCCESS) {
        why = "the record is not a JSON object";
        return false;
    }
    event = sdk::Event{};
    event.id = string_at(audit, "id");
    const auto time = parse_utc_ms(string_at(audit, "activityDateTime"));
    if (event.id.empty() || !time) {
        why = event.id.empty() ? "the record has no id" : "the record has no readable activityDateTime";
        return false;
    }
    event.time_ms = *time;
    const std::string_view activity = string_at(audit, "activityDisplayName");
    const std::string_view category = string_at(audit, "category");
    event.action = audit_action(string_at(audit, "operationType"), activity);
    event.status = string_at(audit, "result") == "success" ? "success" : "failure";

    // Who: the user, else the application that acted.
    if (const auto initiated = object_at(audit, "initiatedBy"); initiated.error() == simdjson::SUCCESS) {
        if (const auto user = object_at(initiated.value_unsafe(), "user"); user.error() == simdjson::SUCCESS) {
            event.who = string_at(user.value_unsafe(), "userPrincipalName");
            if (event.who.empty()) event.who = string_at(user.value_unsafe(), "displayName");
            event.workstation = string_at(user.value_unsafe(), "ipAddress");
        }
        if (event.who.empty()) {
            if (const auto app = object_at(initiated.value_unsafe(), "app"); app.error() == simdjson::SUCCESS) {
                event.who = string_at(app.value_unsafe(), "displayName");
                if (event.who.empty()) event.who = string_at(app.value_unsafe(), "servicePrincipalName");
                if (event.who.empty()) event.who = string_at(app.value_unsafe(), "appId");
            }
        }
    }

    // What: the target the category is about (a group, not the member added to it), else the first.
    const std::string_view category_type = object_type_of_category(category);
    simdjson::dom::array targets;  // one documentation sample says "targetResource"
    if (audit["targetResources"].get_array().get(targets) != simdjson::SUCCESS &&
        audit["targetResource"].get_array().get(targets) != simdjson::SUCCESS) {
        targets = {};
    }
    simdjson::dom::object primary;
    size_t primary_index = SIZE_MAX;
    size_t index = 0;
    for (simdjson::dom::element element : targets) {
        simdjson::dom::object target;
        if (element.get_object().get(target) == simdjson::SUCCESS &&
            (primary_index == SIZE_MAX || (!category_type.empty() && target_type(target) == category_type &&
                                           target_type(primary) != category_type))) {
            primary = target;
            primary_index = index;
        }
        ++index;
    }
    const bool found = primary_index != SIZE_MAX;
    std::string_view role_name;
    details_.assign("[");
    if (!activity.empty()) text_entry(details_, "Activity", activity);
    index = 0;
    for (simdjson::dom::element element : targets) {
        const size_t at = index++;
        simdjson::dom::object target;
        if (element.get_object().get(target) != simdjson::SUCCESS) continue;
        if (at != primary_index) {
            // Another object of the activity: the member added to a group, the user given a role.
            text_entry(details_, target_type(target) == "User" ? "Member" : target_type(target),
                       display_name_or_upn(target));
        }
        simdjson::dom::array properties;
        if (target["modifiedProperties"].get_array().get(properties) != simdjson::SUCCESS) continue;
        for (simdjson::dom::element property_element : properties) {
            simdjson::dom::object property;
            if (property_element.get_object().get(property) != simdjson::SUCCESS) continue;
            const std::string_view name = string_at(property, "displayName");
            if (name == "Included Updated Properties") continue;  // a list of the names below: nothing new
            const std::string_view new_value = string_at(property, "newValue");
            if (name == "Role.DisplayName") role_name = new_value;
            open_entry(details_, name);
            append_value(string_at(property, "oldValue"));
            details_ += ",\"new\":";
            append_value(new_value);
            details_ += '}';
        }
    }
    simdjson::dom::array additional;
    if (audit["additionalDetails"].get_array().get(additional) == simdjson::SUCCESS) {
        for (simdjson::dom::element element : additional) {
            simdjson::dom::object detail;
            if (element.get_object().get(detail) != simdjson::SUCCESS) continue;
            text_entry(details_, string_at(detail, "key"), string_at(detail, "value"));
        }
    }
    if (event.status == "failure") {
        const std::string_view reason = string_at(audit, "resultReason");
        if (!reason.empty()) text_entry(details_, "Failure reason", reason);
    }
    details_ += ']';
    event.details_json = details_;

    if (category_type == "Role") {
        event.object_type = "Role";
        what_.assign(decoded_text(role_name));  // JSON-encoded too: "\"Global Administrator\""
        event.what = what_.empty() && found ? display_name_or_upn(primary) : std::string_view(what_);
    } else if (found) {
        const std::string_view type = target_type(primary);
        event.object_type = says_nothing(type) ? category_type : type;
        event.what = display_name_or_upn(primary);
    } else {
        event.object_type = category_type.empty() ? category : category_type;
    }
    event.raw_json = raw;
    return true;
}

}  // namespace vigil::connectors
