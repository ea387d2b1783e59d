#include "audit_data.hpp"

#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

#include <cstdio>

namespace vigil::emulator {

namespace {

struct Activity {
    const char* name;
    const char* category;
    const char* operation;
};

const Activity kActivities[] = {
    {"Update user", "UserManagement", "Update"},
    {"Add user", "UserManagement", "Add"},
    {"Add member to group", "GroupManagement", "Assign"},
    {"Remove member from group", "GroupManagement", "Unassign"},
    {"Add member to role", "RoleManagement", "Assign"},
    {"Reset user password", "UserManagement", "Update"},
    {"Update application – Certificates and secrets management ", "ApplicationManagement", "Update"},
    {"Delete user", "UserManagement", "Delete"},
    {"Consent to application", "ApplicationManagement", "Assign"},
    {"Update group", "GroupManagement", "Update"},
};

void string_field(std::string& out, const char* name, const std::string& value, bool comma = true) {
    out += '"';
    out += name;
    out += "\":";
    append_json_string(out, value);
    if (comma) out += ',';
}

// A modifiedProperty: old and new values are JSON text inside a JSON string, as Graph sends them.
void modified(std::string& out, const char* name, const std::string& old_json, const std::string& new_json) {
    out += '{';
    string_field(out, "displayName", name);
    out += "\"oldValue\":";
    if (old_json.empty()) {
        out += "null";
    } else {
        append_json_string(out, old_json);
    }
    out += ",\"newValue\":";
    append_json_string(out, new_json);
    out += '}';
}

std::string quoted(const std::string& text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

void target(std::string& out, const std::string& id, const std::string& display_name, const char* type,
            const std::string& upn, const std::string& modified_properties) {
    out += '{';
    string_field(out, "id", id);
    out += "\"displayName\":";
    if (display_name.empty()) {
        out += "null";
    } else {
        append_json_string(out, display_name);
    }
    out += ",\"type\":\"";
    out += type;
    out += "\",\"userPrincipalName\":";
    if (upn.empty()) {
        out += "null";
    } else {
        append_json_string(out, upn);
    }
    out += ",\"groupType\":null,\"modifiedProperties\":[" + modified_properties + "]}";
}

}  // namespace

std::string audit_id(const Tenant& tenant, int n) {
    char id[96];
    std::snprintf(id, sizeof(id), "Directory_%s_%08d", tenant.id.substr(0, 8).c_str(), n);
    return id;
}

void append_audit(std::string& out, const Tenant& tenant, int n, int64_t time_ms,
                  const std::vector<DirectoryUser>& actors) {
    const Activity& activity = kActivities[n % 10];
    const bool failed = n % 13 == 7;
    const auto actor_at = [&](int k) -> const DirectoryUser& { return actors[static_cast<size_t>(k) % actors.size()]; };
    const DirectoryUser& subject = actor_at(n * 7 + 3);  // the user the activity is about
    const std::string number = std::to_string(n);

    out += '{';
    string_field(out, "id", audit_id(tenant, n));
    string_field(out, "category", activity.category);
    string_field(out, "correlationId",
                 "c0ffee00-0000-4000-8000-" + std::string(12 - std::min<size_t>(12, number.size()), '0') + number);
    string_field(out, "result", failed ? "failure" : "success");
    string_field(out, "resultReason", failed ? "Insufficient privileges to complete the operation." : "");
    string_field(out, "activityDisplayName", activity.name);
    out += "\"activityDateTime\":\"";
    append_rfc3339_ms(out, time_ms);
    out += "\",";
    string_field(out, "loggedByService", "Core Directory");
    string_field(out, "operationType", activity.operation);

    out += "\"initiatedBy\":";
    if (n % 7 == 3) {
        out += R"({"user":null,"app":{"appId":"14d82eec-204b-4c2f-b7e8-296a70dab67e",)"
               R"("displayName":"Microsoft Graph Command Line Tools","servicePrincipalId":"5f0b6a4e-0c1b-4b8e-9d55-)"
               R"(0f6c2a1b3c4d","servicePrincipalName":null}},)";
    } else {
        // Every 11th by the tenant's first service account (user 5 when the directory has one), else an admin.
        const DirectoryUser& who = n % 11 == 5 ? actor_at(5) : actor_at(n % 3);
        out += R"({"app":null,"user":{)";
        string_field(out, "id", who.id);
        string_field(out, "displayName", who.display_name);
        string_field(out, "userPrincipalName", who.user_principal_name);
        string_field(out, "ipAddress", "203.0.113." + std::to_string(n % 200 + 1), false);
        out += "}},";
    }

    std::string targets;
    std::string properties;
    const std::string group_id = "0a0a0a0a-0000-4000-8000-00000000000" + std::to_string(n % 3);
    const std::string group_name = n % 3 == 0 ? "Tier 0 \"Privileged\" Admins" : "All Staff — Zürich & Co";
    switch (n % 10) {
        case 0:
            modified(properties, "Department", "[\"Sales\"]", "[\"Marketing \\\"EMEA\\\"\"]");
            properties += ',';
            modified(properties, "Included Updated Properties", "", "\"Department\"");
            target(targets, subject.id, subject.display_name, "User", subject.user_principal_name, properties);
            break;
        case 1:
            modified(properties, "AccountEnabled", "[]", "[true]");
            properties += ',';
            modified(properties, "DisplayName", "[]", "[" + quoted("New hire " + number) + "]");
            target(targets, subject.id, "", "User", "newhire" + number + "@" + tenant.domain, properties);
            break;
        case 2:
        case 3:
            target(targets, subject.id, "", "User", subject.user_principal_name, "");
            targets += ',';
            modified(properties, "Group.ObjectID", "", quoted(group_id));
            properties += ',';
            modified(properties, "Group.DisplayName", "", quoted(group_name));
            target(targets, group_id, group_name, "Group", "", properties);
            break;
        case 4:
            modified(properties, "Role.DisplayName", "", "\"Global Administrator\"");
            properties += ',';
            modified(properties, "Role.TemplateId", "", "\"62e90394-69f5-4237-9190-012177145e10\"");
            target(targets, subject.id, "", "User", subject.user_principal_name, properties);
            break;
        case 5:
        case 7:
            target(targets, subject.id, subject.display_name, "User", subject.user_principal_name, "");
            break;
        case 6:
            modified(properties, "KeyDescription", "[]",
                     "[\"[KeyIdentifier=7d1e2f3a-0000-4000-8000-000000000001,KeyType=Password,KeyUsage=Verify,"
                     "DisplayName=client secret " +
                         number + "]\"]");
            target(targets, "ab000000-0000-4000-8000-000000000001", "Line-of-business app 1 «Pay & Go»", "Application",
                   "", properties);
            break;
        case 8:
            modified(properties, "ConsentAction.Permissions", "",
                     "\"[] => [[Id: x, ClientId: y, PrincipalId: , ResourceId: z, ConsentType: AllPrincipals, "
                     "Scope:  User.Read Mail.Read]]; \"");
            target(targets, "5e000000-0000-4000-8000-000000000008", "Contoso \"Expenses\" App", "ServicePrincipal", "",
                   properties);
            break;
        default:
            modified(properties, "Description", "[\"old\"]", "[\"line one\\nline two\"]");
            target(targets, group_id, group_name, "Group", "", properties);
            break;
    }
    out += "\"targetResources\":[" + targets + "],";
    out += "\"additionalDetails\":[";
    if (n % 2 == 0) {
        out += R"({"key":"User-Agent","value":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/120.0"},)"
               R"({"key":"UserType","value":"Member"})";
    }
    out += "]}";
}

}  // namespace vigil::emulator
