#pragma once

#include <simdjson.h>
#include <vigil/plugin.hpp>

#include <string>
#include <string_view>

namespace vigil::connectors {

// A directoryAudit record (graph-api.md section 2.1) as Vigil's event record (contract section 4):
//   action       from operationType, else activityDisplayName: Add -> Added, Delete -> Removed, Update -> Modified,
//                Assign -> Added and Unassign -> Removed (members of groups and roles), Restore -> Restored
//   object_type  the target the category is about: UserManagement -> User, GroupManagement -> Group, ...
//   what         that target's display name, else its UPN (a role: the role's name from Role.DisplayName)
//   who          initiatedBy.user's UPN, else the initiating application's name
//   workstation  the initiator's IP address
//   status       success, or failure for any other result
//   details      [{name, old, new}]: the activity, changed properties with their JSON-encoded values decoded,
//                other targets (a group's new member), additionalDetails, and the reason of a failure
class AuditNormalizer {
public:
    // Fills event from record. event's views point into record, raw and this normalizer's buffers: valid until the
    // next call. False, with why set, when the record has no id or no readable activityDateTime.
    bool normalize(simdjson::dom::element record, std::string_view raw, sdk::Event& event, std::string& why);

private:
    void append_value(std::string_view encoded);  // a JSON-encoded oldValue/newValue, decoded into details_
    // A JSON-encoded string's text ("\"Global Administrator\"" -> Global Administrator); anything else as it is.
    std::string_view decoded_text(std::string_view encoded);

    std::string what_;
    std::string details_;
    simdjson::dom::parser values_;  // decodes oldValue/newValue
};

// Add -> Added ... (see above); the activity's own name when the operation says nothing known.
std::string_view audit_action(std::string_view operation_type, std::string_view activity);
// UserManagement -> User, GroupManagement -> Group, RoleManagement -> Role, ApplicationManagement -> Application,
// DeviceManagement -> Device, Policy -> Policy; empty for categories that name no object type.
std::string_view object_type_of_category(std::string_view category);

}  // namespace vigil::connectors
