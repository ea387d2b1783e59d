#include "directory_render.hpp"

#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

#include <sstream>

namespace vigil::emulator {

namespace {

std::string text(const std::string& value) {
    std::string out;
    append_json_string(out, value);
    return out;
}

std::string nullable_text(const std::string& value) {
    return value.empty() ? "null" : text(value);
}

std::string boolean(bool value) {
    return value ? "true" : "false";
}

// Directory times carry whole seconds ("2026-01-13T14:13:32Z"); 0 is Graph's "never": 0001-01-01T00:00:00Z.
std::string date_time(int64_t unix_ms) {
    if (unix_ms == 0) return "\"0001-01-01T00:00:00Z\"";
    std::string out;
    append_rfc3339_ms(out, unix_ms - unix_ms % 1000);
    out.erase(out.size() - 5);  // ".000Z"
    return "\"" + out + "Z\"";
}

std::string string_array(const std::vector<std::string>& values) {
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        append_json_string(out, values[i]);
    }
    return out + "]";
}

std::string credentials(const std::vector<DirectoryCredential>& all, bool certificates) {
    std::string out = "[";
    for (const auto& credential : all) {
        if (credential.certificate != certificates) continue;
        if (out.size() > 1) out += ',';
        out += "{\"customKeyIdentifier\":";
        out += certificates ? text("A1B2C3" + credential.key_id.substr(0, 8)) : "null";
        out += ",\"displayName\":" + text(credential.display_name);
        out += ",\"endDateTime\":" + date_time(credential.end_ms);
        out += ",\"keyId\":" + text(credential.key_id);
        out += ",\"startDateTime\":" + date_time(credential.start_ms);
        if (certificates) {
            out += R"(,"key":null,"type":"AsymmetricX509Cert","usage":"Verify")";
        } else {
            out += ",\"hint\":" + text(credential.key_id.substr(0, 3)) + ",\"secretText\":null";
        }
        out += '}';
    }
    return out + "]";
}

ObjectType make_type(std::string name, const Properties& sample, std::set<std::string> default_set,
                     std::set<std::string> extra) {
    ObjectType type{std::move(name), std::move(extra), std::move(default_set)};
    for (const auto& [property, value] : sample) type.known.insert(property);
    if (type.default_set.empty()) type.default_set = type.known;
    return type;
}

}  // namespace

Properties user_properties(const DirectoryUser& user, bool with_sign_in_activity) {
    const auto space = user.display_name.find(' ');
    Properties properties{
        {"id", text(user.id)},
        {"businessPhones", "[]"},
        {"displayName", text(user.display_name)},
        {"givenName", text(user.display_name.substr(0, space))},
        {"jobTitle", "null"},
        {"mail", user.user_type == "Member" ? text(user.user_principal_name) : "null"},
        {"mobilePhone", "null"},
        {"officeLocation", "null"},
        {"preferredLanguage", "\"en-US\""},
        {"surname", space == std::string::npos ? "null" : text(user.display_name.substr(space + 1))},
        {"userPrincipalName", text(user.user_principal_name)},
        {"accountEnabled", boolean(user.account_enabled)},
        {"userType", text(user.user_type)},
        {"creationType", nullable_text(user.creation_type)},
        {"externalUserState", user.user_type == "Guest" ? "\"Accepted\"" : "null"},
        {"createdDateTime", date_time(user.created_ms)},
        {"passwordPolicies", nullable_text(user.password_policies)},
        {"lastPasswordChangeDateTime", date_time(user.last_password_change_ms)},
        {"onPremisesSyncEnabled",
         user.on_premises_sync_enabled ? boolean(*user.on_premises_sync_enabled) : std::string("null")},
        {"assignedLicenses",
         user.licensed ? R"([{"disabledPlans":[],"skuId":"05e9a617-0261-4cee-bb44-138d3ef5d965"}])" : "[]"},
    };
    if (with_sign_in_activity) {
        const auto request_id = [&](int64_t ms, const char* kind) {
            return ms == 0 ? std::string("\"\"") : text(user.id.substr(0, 8) + "-" + kind + "-" + std::to_string(ms));
        };
        properties.emplace_back(
            "signInActivity",
            "{\"lastSignInDateTime\":" + date_time(user.last_sign_in_ms) +
                ",\"lastSignInRequestId\":" + request_id(user.last_sign_in_ms, "i") +
                ",\"lastNonInteractiveSignInDateTime\":" + date_time(user.last_non_interactive_sign_in_ms) +
                ",\"lastNonInteractiveSignInRequestId\":" + request_id(user.last_non_interactive_sign_in_ms, "n") +
                ",\"lastSuccessfulSignInDateTime\":" + date_time(user.last_successful_sign_in_ms) +
                ",\"lastSuccessfulSignInRequestId\":" + request_id(user.last_successful_sign_in_ms, "s") + "}");
    }
    return properties;
}

Properties group_properties(const DirectoryGroup& group) {
    return {
        {"id", text(group.id)},
        {"deletedDateTime", "null"},
        {"classification", "null"},
        {"createdDateTime", date_time(group.created_ms)},
        {"description", nullable_text(group.description)},
        {"displayName", text(group.display_name)},
        {"groupTypes", group.unified ? "[\"Unified\"]" : "[]"},
        {"isAssignableToRole", boolean(group.role_assignable)},
        {"mailEnabled", boolean(group.mail_enabled)},
        {"mailNickname", text("group-" + group.id.substr(0, 8))},
        {"securityEnabled", boolean(group.security_enabled)},
        {"visibility", group.unified ? "\"Private\"" : "null"},
    };
}

Properties role_properties(const DirectoryRole& role) {
    return {{"id", text(role.id)},
            {"deletedDateTime", "null"},
            {"description", text(role.description)},
            {"displayName", text(role.display_name)},
            {"roleTemplateId", text(role.role_template_id)}};
}

Properties application_properties(const DirectoryApplication& application) {
    return {{"id", text(application.id)},
            {"appId", text(application.app_id)},
            {"displayName", text(application.display_name)},
            {"createdDateTime", date_time(application.created_ms)},
            {"signInAudience", "\"AzureADMyOrg\""},
            {"passwordCredentials", credentials(application.credentials, false)},
            {"keyCredentials", credentials(application.credentials, true)}};
}

Properties service_principal_properties(const DirectoryServicePrincipal& principal) {
    return {{"id", text(principal.id)},
            {"accountEnabled", boolean(principal.account_enabled)},
            {"appId", text(principal.app_id)},
            {"appOwnerOrganizationId", nullable_text(principal.owner_organization_id)},
            {"displayName", text(principal.display_name)},
            {"servicePrincipalType", text(principal.type)},
            {"passwordCredentials", credentials(principal.credentials, false)},
            {"keyCredentials", credentials(principal.credentials, true)}};
}

Properties registration_properties(const DirectoryUser& user, bool is_admin) {
    const bool authenticator = !user.methods_registered.empty() && user.methods_registered[0] != "mobilePhone";
    return {{"id", text(user.id)},
            {"userPrincipalName", text(user.user_principal_name)},
            {"userDisplayName", text(user.display_name)},
            {"userType", user.user_type == "Guest" ? "\"guest\"" : "\"member\""},
            {"isAdmin", boolean(is_admin)},
            {"isSsprRegistered", boolean(user.mfa_registered)},
            {"isSsprEnabled", "false"},
            {"isSsprCapable", "false"},
            {"isMfaRegistered", boolean(user.mfa_registered)},
            {"isMfaCapable", boolean(user.mfa_registered && user.account_enabled)},
            {"isPasswordlessCapable", "false"},
            {"methodsRegistered", string_array(user.methods_registered)},
            {"isSystemPreferredAuthenticationMethodEnabled", "true"},
            {"systemPreferredAuthenticationMethods", authenticator ? "[\"push\"]" : "[]"},
            {"userPreferredMethodForSecondaryAuthentication",
             user.mfa_registered ? (authenticator ? "\"push\"" : "\"sms\"") : "\"none\""},
            {"lastUpdatedDateTime", date_time(user.last_password_change_ms)}};
}

Properties organization_properties(const std::string& tenant_id, const std::vector<std::string>& domains) {
    std::string verified = "[";
    for (size_t i = 0; i < domains.size(); ++i) {
        if (i > 0) verified += ',';
        verified += "{\"capabilities\":\"Email, OfficeCommunicationsOnline\",\"isDefault\":" + boolean(i == 0) +
                    ",\"isInitial\":" + boolean(i == 0) + ",\"name\":" + text(domains[i]) + ",\"type\":\"Managed\"}";
    }
    return {{"id", text(tenant_id)},
            {"displayName", text("Emulated organization " + tenant_id.substr(0, 8))},
            {"tenantType", "\"AAD\""},
            {"verifiedDomains", verified + "]"}};
}

const ObjectType& user_type() {
    static const ObjectType type =
        make_type("microsoft.graph.user", user_properties(DirectoryUser{}, true),
                  {"id", "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone",
                   "officeLocation", "preferredLanguage", "surname", "userPrincipalName"},
                  {"manager"});
    return type;
}

const ObjectType& group_type() {
    static const ObjectType type = make_type("microsoft.graph.group", group_properties(DirectoryGroup{}), {}, {});
    static const ObjectType with_members = [] {
        ObjectType copy = type;
        copy.known.insert("members");  // a relationship: tracked by groups/delta when selected
        return copy;
    }();
    return with_members;
}

const ObjectType& role_type() {
    static const ObjectType type = make_type("microsoft.graph.directoryRole", role_properties(DirectoryRole{}), {}, {});
    return type;
}

const ObjectType& application_type() {
    static const ObjectType type =
        make_type("microsoft.graph.application", application_properties(DirectoryApplication{}), {}, {});
    return type;
}

const ObjectType& service_principal_type() {
    static const ObjectType type = make_type("microsoft.graph.servicePrincipal",
                                             service_principal_properties(DirectoryServicePrincipal{}), {}, {});
    return type;
}

std::optional<std::set<std::string>> read_select(const std::string& text_value, const ObjectType& type,
                                                 std::string& error) {
    if (text_value.empty()) return type.default_set;
    std::set<std::string> selected{"id"};
    std::stringstream names(text_value);
    std::string name;
    while (std::getline(names, name, ',')) {
        while (!name.empty() && name.front() == ' ') name.erase(name.begin());
        while (!name.empty() && name.back() == ' ') name.pop_back();
        if (type.known.count(name) == 0) {
            error = "Could not find a property named '" + name + "' on type '" + type.name + "'.";
            return std::nullopt;
        }
        selected.insert(name);
    }
    return selected;
}

void render_object(std::string& out, const Properties& properties, const std::set<std::string>& selected,
                   const ObjectType& type, bool with_odata_type) {
    out += '{';
    if (with_odata_type) out += "\"@odata.type\":\"#" + type.name + "\",";
    bool first = true;
    for (const auto& [name, value] : properties) {
        if (name != "id" && selected.count(name) == 0) continue;
        if (!first) out += ',';
        first = false;
        append_json_string(out, name);
        out += ':';
        out += value;
    }
    out += '}';
}

std::optional<std::string> property_value(const Properties& properties, const std::string& name) {
    for (const auto& [property, value] : properties) {
        if (property == name) return value;
    }
    return std::nullopt;
}

}  // namespace vigil::emulator
