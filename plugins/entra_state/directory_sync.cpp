#include "directory_sync.hpp"

#include "listing.hpp"
#include "state_json.hpp"
#include "utc_time.hpp"

#include <vector>

namespace vigil::connectors {

namespace {

std::string_view text_at(simdjson::dom::element element, std::string_view key) {
    std::string_view value;
    return element[key].get_string().get(value) == simdjson::SUCCESS ? value : std::string_view{};
}

bool has(simdjson::dom::element element, std::string_view key) {
    simdjson::dom::element value;
    return element[key].get(value) == simdjson::SUCCESS;
}

// "#microsoft.graph.user" -> "User"; the kinds a membership can hold.
std::string member_type(std::string_view odata_type) {
    if (odata_type.ends_with(".user")) return "User";
    if (odata_type.ends_with(".group")) return "Group";
    if (odata_type.ends_with(".servicePrincipal")) return "ServicePrincipal";
    if (odata_type.ends_with(".device")) return "Device";
    if (odata_type.ends_with(".orgContact")) return "Contact";
    return std::string(odata_type);
}

std::string membership_json(const std::string& member_name, const std::string& type, const std::string& member_id) {
    std::string json = "{\"member\":";
    append_string(json, member_name);
    json += ",\"memberType\":";
    append_string(json, type);
    json += ",\"memberId\":";
    append_string(json, member_id);
    json += '}';
    return json;
}

// An application's or service principal's credentials: the fields that matter, in a fixed order, and the model's
// view of them. The secret's hint and the certificate's bytes are left out.
std::string credentials_json(simdjson::dom::element record, std::vector<CredentialInfo>* model) {
    std::string json = "{";
    for (const bool certificate : {false, true}) {
        const std::string_view key = certificate ? "keyCredentials" : "passwordCredentials";
        if (json.size() > 1) json += ',';
        append_string(json, key);
        json += ":[";
        simdjson::dom::array list;
        if (record[key].get_array().get(list) == simdjson::SUCCESS) {
            bool first = true;
            for (simdjson::dom::element credential : list) {
                if (!first) json += ',';
                first = false;
                json += canonical_object(
                    credential, certificate
                                    ? std::initializer_list<std::string_view>{"keyId", "displayName", "startDateTime",
                                                                              "endDateTime", "type", "usage"}
                                    : std::initializer_list<std::string_view>{"keyId", "displayName", "startDateTime",
                                                                              "endDateTime"});
                if (model != nullptr) {
                    model->push_back(CredentialInfo{std::string(text_at(credential, "displayName")), certificate,
                                                    parse_utc_ms(text_at(credential, "startDateTime")).value_or(0),
                                                    parse_utc_ms(text_at(credential, "endDateTime")).value_or(0)});
                }
            }
        }
        json += ']';
    }
    json += '}';
    return json;
}

// An application's or service principal's key: its object id; Microsoft's documentation examples leave it out,
// and then the application id (as unique) keys it.
std::string object_key(simdjson::dom::element record) {
    const std::string_view id = text_at(record, "id");
    return std::string(id.empty() ? text_at(record, "appId") : id);
}

// Joins two JSON objects' members: {"a":1} + {"b":2} -> {"a":1,"b":2}.
std::string merged(const std::string& first, const std::string& second) {
    if (first.size() <= 2) return second;
    if (second.size() <= 2) return first;
    return first.substr(0, first.size() - 1) + "," + second.substr(1);
}

}  // namespace

SyncCursor SyncCursor::parse(std::string_view text) {
    SyncCursor cursor;
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (text.empty() || parser.parse(text.data(), text.size(), true).get(root) != simdjson::SUCCESS) return cursor;
    cursor.users = std::string(text_at(root, "users"));
    cursor.groups = std::string(text_at(root, "groups"));
    return cursor;
}

std::string SyncCursor::text() const {
    std::string out = "{\"users\":";
    append_string(out, users);
    out += ",\"groups\":";
    append_string(out, groups);
    out += '}';
    return out;
}

void DirectorySync::skipped(const char* what, simdjson::dom::element record) const {
    const std::string_view name = text_at(record, "displayName");
    host_.warn(std::string(what) + " record without an id was skipped" +
               (name.empty() ? std::string() : " ('" + std::string(name) + "')"));
}

bool DirectorySync::part_read(vigil_status status, const std::string& error, const std::string& what, Unread& unread,
                              const char* hint) const {
    if (status == VIGIL_ERR_CANCELLED) fail(status, error);
    if (status == VIGIL_OK) return true;
    unread.reason = what + " could not be read" + hint + ": " + error;
    host_.warn(unread.reason);
    return false;
}

void DirectorySync::fail(vigil_status status, const std::string& error) const {
    throw sdk::Error(status, error);
}

void DirectorySync::put(std::string_view kind, std::string_view id, std::string_view object_type, std::string_view name,
                        std::string_view json) const {
    if (const vigil_status status = host_.state_put(sdk::StateObject{kind, id, object_type, name, json});
        status != VIGIL_OK) {
        fail(status, "the agent could not store the state of " + std::string(kind) + " " + std::string(id));
    }
}

void DirectorySync::remove(std::string_view kind, std::string_view id) const {
    if (const vigil_status status = host_.state_remove(kind, id); status != VIGIL_OK) {
        fail(status, "the agent could not record the removal of " + std::string(kind) + " " + std::string(id));
    }
}

void DirectorySync::complete(std::string_view kind) const {
    if (const vigil_status status = host_.state_complete_kind(kind); status != VIGIL_OK) {
        fail(status, "the agent could not complete the snapshot of " + std::string(kind));
    }
}

std::string DirectorySync::read_domains() {
    std::string default_domain;
    std::string link;
    std::string error;
    domains_.clear();
    const vigil_status status = Listing::read(
        host_, "/v1.0/organization?$select=verifiedDomains",
        [&](simdjson::dom::element organization) {
            simdjson::dom::array list;
            if (organization["verifiedDomains"].get_array().get(list) != simdjson::SUCCESS) return;
            for (simdjson::dom::element domain : list) {
                const std::string name(text_at(domain, "name"));
                if (name.empty()) continue;
                bool is_default = false;
                if (domain["isDefault"].get_bool().get(is_default) == simdjson::SUCCESS && is_default) {
                    default_domain = name;
                }
                domains_.emplace_back(name, canonical_object(domain, {"isDefault", "isInitial", "type"}));
            }
        },
        link, error);
    if (status == VIGIL_ERR_CANCELLED) fail(status, error);
    domains_read_ = status == VIGIL_OK;
    if (!domains_read_) host_.warn("the tenant's domains could not be read (" + error + "); events name the tenant id");
    return default_domain;
}

void DirectorySync::store_domains() {
    if (!domains_read_) return;
    for (const auto& [name, json] : domains_) put("domain", name, "Domain", name, json);
    complete("domain");
}

int64_t DirectorySync::load_users() {
    int64_t count = 0;
    host_.state_read("user", [&](const sdk::StateObject& object) {
        model_.set_user(std::string(object.id), std::string(object.json));
        ++count;
        return true;
    });
    return count;
}

bool DirectorySync::read_users(const std::string& path, std::string& delta_link, int64_t expected) {
    CrawlProgress progress(host_, "users", expected);
    std::string error;
    const vigil_status status = Listing::read(
        host_, path,
        [&](simdjson::dom::element record) {
            const std::string id(text_at(record, "id"));
            if (id.empty()) return;
            if (has(record, "@removed")) {
                remove("user", id);
                model_.remove_user(id);
                return;
            }
            const std::string* previous = model_.user_json(id);
            std::string json = canonical_object(record, kUserProperties, previous ? *previous : std::string_view{});
            model_.set_user(id, json);
            put("user", id, "User", model_.name_of(id), json);
        },
        delta_link, error, &progress);
    progress.finish();
    if (status == VIGIL_ERR_EXPIRED) {
        host_.info("the users' delta token is no longer valid (" + error + "): reading every user again");
        return false;
    }
    if (status != VIGIL_OK) fail(status, error);
    return true;
}

void DirectorySync::users(std::string& delta_link) {
    int64_t expected = 0;  // from the stored state, for the progress line's estimate
    if (!delta_link.empty()) {
        expected = load_users();
        std::string next;
        if (read_users(delta_link, next, 0)) {
            delta_link = next;
            return;
        }
        model_.clear_users();
        delta_link.clear();
    }
    std::string next;
    if (!read_users("/v1.0/users/delta?$select=" + select_list(kUserProperties), next, expected)) {
        fail(VIGIL_ERR_UNAVAILABLE,
             "a fresh users delta round was refused as expired: Graph is inconsistent; retry later");
    }
    complete("user");
    delta_link = next;
}

void DirectorySync::service_principals() {
    std::string link;
    std::string error;
    model_.service_principal_names.clear();
    const vigil_status status = Listing::read(
        host_,
        "/v1.0/servicePrincipals?$select=id,appId,displayName,accountEnabled,servicePrincipalType,"
        "appOwnerOrganizationId,passwordCredentials,keyCredentials&$top=999",
        [&](simdjson::dom::element record) {
            const std::string id = object_key(record);
            if (id.empty()) return skipped("a service principal", record);
            const std::string name(text_at(record, "displayName"));
            model_.service_principal_names[id] = name;
            put("service_principal", id, "ServicePrincipal", name,
                merged(canonical_object(record, {"appId", "displayName", "accountEnabled", "servicePrincipalType",
                                                 "appOwnerOrganizationId"}),
                       credentials_json(record, nullptr)));
        },
        link, error);
    Unread unread;  // names fall back to ids; no metric needs them
    if (part_read(status, error, "service principals", unread)) complete("service_principal");
}

int64_t DirectorySync::load_groups() {
    int64_t count = 0;
    host_.state_read("group", [&](const sdk::StateObject& object) {
        model_.set_group(std::string(object.id), std::string(object.json));
        ++count;
        return true;
    });
    host_.state_read("group_member", [&](const sdk::StateObject& object) {
        const size_t slash = object.id.find('/');
        if (slash != std::string_view::npos) {
            model_.add_member(std::string(object.id.substr(0, slash)), std::string(object.id.substr(slash + 1)));
        }
        return true;
    });
    return count;
}

bool DirectorySync::read_groups(const std::string& path, std::string& delta_link, int64_t expected) {
    struct Added {
        std::string group, member, type;
    };
    std::vector<Added> added;  // stored once the whole listing is read: by then every member's name is known
    CrawlProgress progress(host_, "groups", expected);
    std::string error;
    const vigil_status status = Listing::read(
        host_, path,
        [&](simdjson::dom::element record) {
            const std::string id(text_at(record, "id"));
            if (id.empty()) return;
            if (has(record, "@removed")) {
                for (const std::string& member : model_.members_of(id)) remove("group_member", id + "/" + member);
                remove("group", id);
                model_.remove_group(id);
                return;
            }
            // Large groups come back as several entries of the same group, each with a slice of its members.
            const std::string* previous = model_.group_json(id);
            std::string json = canonical_object(record, kGroupProperties, previous ? *previous : std::string_view{});
            if (previous == nullptr || *previous != json) {
                model_.set_group(id, json);
                put("group", id, "Group", model_.name_of(id), json);
            }
            simdjson::dom::array members;
            if (record["members@delta"].get_array().get(members) != simdjson::SUCCESS) return;
            for (simdjson::dom::element member : members) {
                const std::string member_id(text_at(member, "id"));
                if (member_id.empty()) continue;
                if (has(member, "@removed")) {
                    remove("group_member", id + "/" + member_id);
                    model_.remove_member(id, member_id);
                } else {
                    model_.add_member(id, member_id);
                    added.push_back({id, member_id, member_type(text_at(member, "@odata.type"))});
                }
            }
        },
        delta_link, error, &progress);
    progress.finish();
    if (status == VIGIL_ERR_EXPIRED) {
        host_.info("the groups' delta token is no longer valid (" + error + "): reading every group again");
        return false;
    }
    if (status != VIGIL_OK) fail(status, error);
    for (const Added& membership : added) {
        put("group_member", membership.group + "/" + membership.member, "Group", model_.name_of(membership.group),
            membership_json(model_.name_of(membership.member), membership.type, membership.member));
    }
    return true;
}

void DirectorySync::groups(std::string& delta_link) {
    const std::string path = "/v1.0/groups/delta?$select=" + select_list(kGroupProperties) + ",members";
    int64_t expected = 0;
    if (!delta_link.empty()) {
        expected = load_groups();
        std::string next;
        if (read_groups(delta_link, next, 0)) {
            delta_link = next;
            return;
        }
        model_.clear_groups();
        delta_link.clear();
    }
    std::string next;
    if (!read_groups(path, next, expected)) {
        fail(VIGIL_ERR_UNAVAILABLE,
             "a fresh groups delta round was refused as expired: Graph is inconsistent; retry later");
    }
    complete("group");
    complete("group_member");
    delta_link = next;
}

void DirectorySync::roles() {
    std::vector<RoleInfo> roles;
    std::string link;
    std::string error;
    vigil_status status = Listing::read(
        host_, "/v1.0/directoryRoles",
        [&](simdjson::dom::element record) {
            RoleInfo role{std::string(text_at(record, "id")),
                          std::string(text_at(record, "displayName")),
                          std::string(text_at(record, "roleTemplateId")),
                          {}};
            if (role.id.empty()) return;
            put("role", role.id, "Role", role.name,
                canonical_object(record, {"displayName", "roleTemplateId", "description"}));
            roles.push_back(std::move(role));
        },
        link, error);
    for (size_t i = 0; status == VIGIL_OK && i < roles.size(); ++i) {
        RoleInfo& role = roles[i];
        status = Listing::read(
            host_, "/v1.0/directoryRoles/" + role.id + "/members",
            [&](simdjson::dom::element member) {
                MemberRef ref{std::string(text_at(member, "id")), member_type(text_at(member, "@odata.type"))};
                if (ref.id.empty()) return;
                put("role_member", role.id + "/" + ref.id, "Role", role.name,
                    membership_json(model_.name_of(ref.id), ref.type, ref.id));
                role.members.push_back(std::move(ref));
            },
            link, error);
    }
    if (!part_read(status, error, "directory roles", model_.roles_unread)) return;
    complete("role");
    complete("role_member");
    model_.roles = std::move(roles);
}

void DirectorySync::applications() {
    std::vector<ApplicationInfo> applications;
    std::string link;
    std::string error;
    const vigil_status status = Listing::read(
        host_,
        "/v1.0/applications?$select=id,appId,displayName,createdDateTime,passwordCredentials,keyCredentials&$top=999",
        [&](simdjson::dom::element record) {
            ApplicationInfo application{object_key(record), std::string(text_at(record, "displayName")), {}};
            if (application.id.empty()) return skipped("an application", record);
            put("application", application.id, "Application", application.name,
                merged(canonical_object(record, {"appId", "displayName", "createdDateTime"}),
                       credentials_json(record, &application.credentials)));
            applications.push_back(std::move(application));
        },
        link, error);
    if (!part_read(status, error, "applications", model_.applications_unread)) return;
    complete("application");
    model_.applications = std::move(applications);
}

void DirectorySync::mfa_registrations() {
    std::unordered_map<std::string, bool> registered;
    std::string link;
    std::string error;
    CrawlProgress progress(host_, "MFA registrations", static_cast<int64_t>(model_.users().size()));
    const vigil_status status = Listing::read(
        host_, "/v1.0/reports/authenticationMethods/userRegistrationDetails",
        [&](simdjson::dom::element record) {
            const std::string id(text_at(record, "id"));
            if (id.empty()) return;
            bool mfa = false;
            if (record["isMfaRegistered"].get_bool().get(mfa) != simdjson::SUCCESS) mfa = false;
            registered[id] = mfa;
            put("mfa_registration", id, "MFA Registration", text_at(record, "userPrincipalName"),
                canonical_object(record, kMfaProperties));
        },
        link, error, &progress);
    progress.finish();
    if (!part_read(status, error, "MFA registration", model_.mfa_unread)) return;
    complete("mfa_registration");
    model_.mfa = std::move(registered);
}

void DirectorySync::sign_in_activity() {
    // Not part of the stored state: it changes with every sign-in. The metrics read it; Graph limits it to 10
    // requests a minute and at most 500 users a page.
    std::unordered_map<std::string, int64_t> last;
    std::string link;
    std::string error;
    CrawlProgress progress(host_, "sign-in activity", static_cast<int64_t>(model_.users().size()));
    const vigil_status status = Listing::read(
        host_, "/v1.0/users?$select=id,signInActivity&$top=500",
        [&](simdjson::dom::element record) {
            const std::string id(text_at(record, "id"));
            simdjson::dom::element activity;
            if (id.empty() || record["signInActivity"].get(activity) != simdjson::SUCCESS) return;
            const int64_t when = parse_utc_ms(text_at(activity, "lastSignInDateTime")).value_or(0);
            last[id] = when < 0 ? 0 : when;  // 0001-01-01T00:00:00Z: never
        },
        link, error, &progress);
    progress.finish();
    if (!part_read(status, error, "sign-in activity", model_.sign_ins_unread,
                   " (it needs Entra ID P1/P2 and AuditLog.Read.All)")) {
        return;
    }
    model_.last_sign_in = std::move(last);
}

}  // namespace vigil::connectors
