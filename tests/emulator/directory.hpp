#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil::emulator {

struct Tenant;

// An application or service principal secret (passwordCredential) or certificate (keyCredential).
struct DirectoryCredential {
    std::string key_id;
    std::string display_name;
    int64_t start_ms = 0;
    int64_t end_ms = 0;
    bool certificate = false;  // keyCredential (AsymmetricX509Cert, Verify) rather than passwordCredential
};

struct DirectoryUser {
    std::string id;
    std::string display_name;
    std::string user_principal_name;
    std::string user_type = "Member";  // Member | Guest
    std::string creation_type;         // "" (null), Invitation, LocalAccount, EmailVerified
    std::string password_policies;     // "" (null), DisablePasswordExpiration, DisableStrongPassword, combined
    bool account_enabled = true;
    int64_t created_ms = 0;
    int64_t last_password_change_ms = 0;
    std::optional<bool> on_premises_sync_enabled;  // null: never synced
    int64_t last_sign_in_ms = 0;                   // 0: never ("0001-01-01T00:00:00Z", as Graph says it)
    int64_t last_non_interactive_sign_in_ms = 0;
    int64_t last_successful_sign_in_ms = 0;
    bool mfa_registered = false;
    bool licensed = true;  // assignedLicenses: one Microsoft 365 licence, or none
    std::vector<std::string> methods_registered;
};

struct DirectoryGroup {
    std::string id;
    std::string display_name;
    std::string description;
    bool security_enabled = true;
    bool mail_enabled = false;
    bool unified = false;  // groupTypes: ["Unified"] (Microsoft 365)
    bool role_assignable = false;
    int64_t created_ms = 0;
    std::vector<std::string> member_ids;  // users, groups and service principals, by id
};

struct DirectoryRole {
    std::string id;
    std::string role_template_id;
    std::string display_name;
    std::string description;
    std::vector<std::string> member_ids;
};

struct DirectoryApplication {
    std::string id;
    std::string app_id;
    std::string display_name;
    int64_t created_ms = 0;
    std::vector<DirectoryCredential> credentials;
};

struct DirectoryServicePrincipal {
    std::string id;
    std::string app_id;
    std::string display_name;
    std::string type = "Application";  // Application | ManagedIdentity
    std::string owner_organization_id;
    bool account_enabled = true;
    std::vector<DirectoryCredential> credentials;
};

// One change, for delta queries: which object (or which membership) changed at which version.
struct DirectoryChange {
    int64_t version = 0;
    std::string kind;  // user | group | membership
    std::string id;    // the object (for membership: the group)
    std::string member_id;
    bool removed = false;  // the object was deleted, or the member removed
};

// The directory of one emulated tenant: generated from the scenario, then changed by tests (a user disabled, a
// member removed ...) so that delta queries and state history have something to find. Every change gets the next
// version number; a delta token is the version it was issued at. Thread-safe: the server threads read it while a
// test changes it.
class Directory {
public:
    Directory() = default;
    // Users, groups and applications as the scenario's `directory:` asks, with what the risk metrics look for:
    // guests, disabled and stale accounts, passwords that never expire, admins without MFA, expired secrets ...
    // Dates are relative to now_ms, so "not signed in for 90 days" stays true whenever the emulator runs.
    static std::unique_ptr<Directory> generate(const Tenant& tenant, int64_t now_ms);

    // A consistent read: f runs under the directory's lock.
    void read(const std::function<void(const Directory&)>& f) const;

    // Changes (each one a new version).
    void upsert_user(const DirectoryUser& user);
    bool update_user(const std::string& id, const std::function<void(DirectoryUser&)>& change);
    bool delete_user(const std::string& id);  // also drops it from groups and roles
    void upsert_group(const DirectoryGroup& group);
    bool delete_group(const std::string& id);
    bool add_member(const std::string& group_id, const std::string& member_id);
    bool remove_member(const std::string& group_id, const std::string& member_id);

    // Read side (call inside read()).
    const std::vector<DirectoryUser>& users() const { return users_; }
    const std::vector<DirectoryGroup>& groups() const { return groups_; }
    const std::vector<DirectoryRole>& roles() const { return roles_; }
    const std::vector<DirectoryApplication>& applications() const { return applications_; }
    const std::vector<DirectoryServicePrincipal>& service_principals() const { return service_principals_; }
    const std::vector<DirectoryChange>& changes() const { return changes_; }
    int64_t current_version() const { return version_; }
    const DirectoryUser* find_user(const std::string& id) const;
    const DirectoryGroup* find_group(const std::string& id) const;
    const DirectoryServicePrincipal* find_service_principal(const std::string& id) const;
    // "#microsoft.graph.user", ".group" or ".servicePrincipal" for a member id; empty when unknown.
    std::string odata_type_of(const std::string& id) const;
    // Members of a group and of the groups nested in it (the nested groups too), each once, as Graph lists them.
    std::vector<std::string> transitive_members(const std::string& group_id) const;
    std::vector<std::string> domains;  // verified domains (the first is the default)

private:
    void record(std::string kind, std::string id, std::string member_id, bool removed);
    // Objects by id: a directory of 100 k users is looked up a million times per round. Rebuilt after a change
    // that moves objects (an insert or a delete), under the lock like every access.
    void index() const;
    DirectoryUser* user_at(const std::string& id);
    DirectoryGroup* group_at(const std::string& id);
    mutable std::unordered_map<std::string, size_t> user_index_, group_index_, principal_index_;
    mutable bool indexed_ = false;

    mutable std::mutex mutex_;
    int64_t version_ = 0;
    std::vector<DirectoryUser> users_;
    std::vector<DirectoryGroup> groups_;
    std::vector<DirectoryRole> roles_;
    std::vector<DirectoryApplication> applications_;
    std::vector<DirectoryServicePrincipal> service_principals_;
    std::vector<DirectoryChange> changes_;
};

// The tenant's first count users as the directory generates them: the actors of audits and sign-ins when the
// scenario has no directory.
std::vector<DirectoryUser> generate_users(const Tenant& tenant, int count, int64_t now_ms);

// GUID-shaped, deterministic ids: tenant prefix, object kind, number.
std::string directory_id(const std::string& tenant_id, unsigned kind, int n);

}  // namespace vigil::emulator
