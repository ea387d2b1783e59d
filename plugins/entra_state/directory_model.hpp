#pragma once

#include <simdjson.h>
#include <cstdint>
#include <map>
#include <optional>

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace vigil::connectors {

struct UserInfo {
    std::string upn;
    std::string user_type;  // Member | Guest
    std::string creation_type;
    std::string password_policies;
    bool enabled = true;
    int64_t created_ms = 0;      // 0: unknown
    std::optional<bool> synced;  // onPremisesSyncEnabled
};

struct GroupInfo {
    std::string name;
    bool security = false;
    bool role_assignable = false;
};

struct MemberRef {
    std::string id;
    std::string type;  // User | Group | ServicePrincipal (from @odata.type)
};

struct RoleInfo {
    std::string id;
    std::string name;
    std::string template_id;
    std::vector<MemberRef> members;
};

struct CredentialInfo {
    std::string name;
    bool certificate = false;
    int64_t start_ms = 0;
    int64_t end_ms = 0;
};

struct ApplicationInfo {
    std::string id;
    std::string name;
    std::vector<CredentialInfo> credentials;
};

// A part of the directory that could not be read this run, and why (a permission or licence): the metrics that
// need it are `unknown` with this reason, never `low`.
struct Unread {
    std::string reason;
};

// What Entra State knows about one tenant during a run: everything the risk metrics read. Users and groups (with
// memberships) come from delta rounds over what the store held; the rest is read in full every run.
class DirectoryModel {
public:
    // Users and groups, from their stored state (the canonical JSON of state_json.hpp).
    void set_user(const std::string& id, std::string canonical_json);
    void remove_user(const std::string& id);
    const std::string* user_json(const std::string& id) const;
    void set_group(const std::string& id, std::string canonical_json);
    void remove_group(const std::string& id);
    const std::string* group_json(const std::string& id) const;
    void add_member(const std::string& group_id, const std::string& member_id);
    void remove_member(const std::string& group_id, const std::string& member_id);
    void clear_users();
    void clear_groups();

    const std::unordered_map<std::string, UserInfo>& users() const { return users_; }
    const std::unordered_map<std::string, GroupInfo>& groups() const { return groups_; }
    // A group's members: ids (for removing its memberships with it) and how many (empty groups are a risk).
    std::vector<std::string> members_of(const std::string& group_id) const;
    size_t member_count(const std::string& group_id) const;
    // A readable name for a user, group or service principal id (the id when unknown).
    std::string name_of(const std::string& id) const;
    std::string type_of(const std::string& id) const;

    std::unordered_map<std::string, std::string> service_principal_names;
    std::optional<std::vector<RoleInfo>> roles;                            // nullopt: see roles_unread
    std::optional<std::vector<ApplicationInfo>> applications;              // nullopt: see applications_unread
    std::optional<std::unordered_map<std::string, bool>> mfa;              // user id -> isMfaRegistered
    std::optional<std::unordered_map<std::string, int64_t>> last_sign_in;  // user id -> ms; 0: never
    Unread roles_unread, applications_unread, mfa_unread, sign_ins_unread;

private:
    std::unordered_map<std::string, std::string> user_json_;
    std::unordered_map<std::string, UserInfo> users_;
    std::unordered_map<std::string, std::string> group_json_;
    std::unordered_map<std::string, GroupInfo> groups_;
    // Memberships by interned id: a tenant's half a million take a few bytes each, not two strings.
    uint32_t intern(const std::string& id);
    std::unordered_map<std::string, uint32_t> interned_;
    std::vector<std::string> ids_;
    std::unordered_map<uint32_t, std::unordered_set<uint32_t>> members_;  // group -> members
    simdjson::dom::parser parser_;                                        // reused for every object's state
};

}  // namespace vigil::connectors
