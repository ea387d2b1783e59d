#include "directory.hpp"

#include "scenario.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace vigil::emulator {

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

enum Kind : unsigned {
    kUser = 1,
    kGroup = 2,
    kRole = 3,
    kApplication = 4,
    kAppId = 5,
    kServicePrincipal = 6,
    kKey = 7
};

// Names that break naive code: non-ASCII, quotes, an apostrophe, CJK.
const char* const kNames[] = {"Zoë Åberg",   "José O'Neil",      "Ωmega \"Q\" Tester",
                              "Li Wei 李伟", "Anna-Lena Müller", "Søren Kierkegaard"};

// The roles a tenant has activated: template ids are the same in every tenant.
struct RoleTemplate {
    const char* template_id;
    const char* name;
    const char* description;
};
const RoleTemplate kRoles[] = {
    {"62e90394-69f5-4237-9190-012177145e10", "Global Administrator",
     "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities."},
    {"fe930be7-5e62-47db-91af-98c3a49a38b1", "User Administrator",
     "Can manage all aspects of users and groups, including resetting passwords for limited admins."},
    {"e8611ab8-c189-46e8-94e1-60213ab1f814", "Privileged Role Administrator",
     "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management."},
    {"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "Application Administrator",
     "Can create and manage all aspects of app registrations and enterprise apps."},
    {"5d6b6bb7-de71-4623-b4af-96380a352509", "Security Reader",
     "Can read security information and reports in Microsoft Entra ID and Office 365."},
};

DirectoryUser make_user(const Tenant& tenant, int n, int64_t now_ms) {
    DirectoryUser user;
    user.id = directory_id(tenant.id, kUser, n);
    const bool guest = n % 10 == 9;
    const bool service_account = n % 25 == 5;
    if (n == 0) {
        user.display_name = "Zoë \"Admin\" Åberg";
        user.user_principal_name = "admin@" + tenant.domain;
    } else if (service_account) {
        user.display_name = "svc backup " + std::to_string(n);
        user.user_principal_name = "svc-backup" + std::to_string(n) + "@" + tenant.domain;
    } else if (guest) {
        user.display_name = std::string(kNames[n % 6]) + " (guest " + std::to_string(n) + ")";
        user.user_principal_name = "guest" + std::to_string(n) + "_example.com#EXT#@" + tenant.domain;
        user.user_type = "Guest";
        user.creation_type = "Invitation";
        user.licensed = false;  // guests bring their own
    } else {
        user.display_name = std::string(kNames[n % 6]) + " " + std::to_string(n);
        user.user_principal_name = "user" + std::to_string(n) + "@" + tenant.domain;
    }
    if (n % 53 == 20) user.creation_type = "EmailVerified";
    if (n % 17 == 9) user.licensed = false;  // some members hold no licence
    user.account_enabled = n == 0 || n % 13 != 12;
    if (n % 41 == 7) {
        user.password_policies = "DisablePasswordExpiration, DisableStrongPassword";
    } else if (n % 17 == 3 || service_account) {
        user.password_policies = "DisablePasswordExpiration";
    } else if (n % 29 == 11) {
        user.password_policies = "DisableStrongPassword";
    }
    user.created_ms = now_ms - (400 - n % 365) * kDayMs;
    user.last_password_change_ms = user.created_ms + (n % 30) * kDayMs;
    if (n % 4 == 0 && n > 0) user.on_premises_sync_enabled = true;
    if (n % 4 == 1) user.on_premises_sync_enabled = false;
    if (n % 6 == 2) {
        user.last_sign_in_ms = now_ms - 90 * kDayMs;  // stale
    } else if (n % 6 != 1 || n == 0) {                // n % 6 == 1: never signed in
        user.last_sign_in_ms = now_ms - (n % 20 + 1) * 3600 * 1000;
        user.last_successful_sign_in_ms = user.last_sign_in_ms;
        user.last_non_interactive_sign_in_ms = user.last_sign_in_ms + 600'000;
    }
    user.mfa_registered = n == 0 || n % 8 != 3;
    if (user.mfa_registered) {
        user.methods_registered =
            n % 2 == 0 ? std::vector<std::string>{"microsoftAuthenticatorPush", "softwareOneTimePasscode"}
                       : std::vector<std::string>{"mobilePhone"};
    }
    return user;
}

std::vector<DirectoryCredential> make_credentials(const Tenant& tenant, int a, int64_t now_ms) {
    DirectoryCredential secret;
    secret.key_id = directory_id(tenant.id, kKey, 2 * a);
    secret.display_name = "client secret " + std::to_string(a);
    secret.start_ms = now_ms - 200 * kDayMs;
    switch (a % 4) {
        case 0:
            secret.end_ms = now_ms - 10 * kDayMs;
            break;  // expired
        case 1:
            secret.end_ms = now_ms + 20 * kDayMs;
            break;  // expiring within 30 days
        case 2:
            secret.end_ms = now_ms + 530 * kDayMs;
            break;  // valid over 180 days: long-lived
        default:
            secret.end_ms = now_ms + 90 * kDayMs;
            break;  // 290 days in all: also long-lived
    }
    std::vector<DirectoryCredential> credentials{secret};
    if (a % 4 == 3) {
        DirectoryCredential certificate;
        certificate.key_id = directory_id(tenant.id, kKey, 2 * a + 1);
        certificate.display_name = "CN=app" + std::to_string(a);
        certificate.certificate = true;
        certificate.start_ms = now_ms - 30 * kDayMs;
        certificate.end_ms = now_ms + 3 * 365 * kDayMs;  // a 3-year certificate
        credentials.push_back(certificate);
    }
    return credentials;
}

}  // namespace

std::string directory_id(const std::string& tenant_id, unsigned kind, int n) {
    char id[40];
    std::snprintf(id, sizeof(id), "%.8s-%04x-4000-8000-%012x", tenant_id.c_str(), kind, static_cast<unsigned>(n));
    return id;
}

std::vector<DirectoryUser> generate_users(const Tenant& tenant, int count, int64_t now_ms) {
    std::vector<DirectoryUser> users;
    users.reserve(static_cast<size_t>(count));
    for (int n = 0; n < count; ++n) users.push_back(make_user(tenant, n, now_ms));
    return users;
}

std::unique_ptr<Directory> Directory::generate(const Tenant& tenant, int64_t now_ms) {
    auto directory = std::make_unique<Directory>();
    const DirectorySize& size = tenant.directory;
    directory->users_ = generate_users(tenant, size.users, now_ms);
    const auto user = [&](int n) { return n < size.users ? directory_id(tenant.id, kUser, n) : std::string(); };

    for (int a = 0; a < size.applications; ++a) {
        DirectoryApplication app;
        app.id = directory_id(tenant.id, kApplication, a);
        app.app_id = directory_id(tenant.id, kAppId, a);
        app.display_name = "Line-of-business app " + std::to_string(a) + (a == 1 ? " «Pay & Go»" : "");
        app.created_ms = now_ms - (300 - a) * kDayMs;
        app.credentials = make_credentials(tenant, a, now_ms);
        DirectoryServicePrincipal principal;
        principal.id = directory_id(tenant.id, kServicePrincipal, a);
        principal.app_id = app.app_id;
        principal.display_name = app.display_name;
        principal.owner_organization_id = tenant.id;
        directory->applications_.push_back(std::move(app));
        directory->service_principals_.push_back(std::move(principal));
    }
    if (size.users > 0 || size.applications > 0) {
        DirectoryServicePrincipal graph;
        graph.id = directory_id(tenant.id, kServicePrincipal, 100000);
        graph.app_id = "00000003-0000-0000-c000-000000000000";
        graph.display_name = "Microsoft Graph";
        graph.owner_organization_id = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
        DirectoryServicePrincipal identity;
        identity.id = directory_id(tenant.id, kServicePrincipal, 100001);
        identity.app_id = directory_id(tenant.id, kAppId, 100001);
        identity.display_name = "vm-backup-identity";
        identity.type = "ManagedIdentity";
        directory->service_principals_.push_back(std::move(graph));
        directory->service_principals_.push_back(std::move(identity));
    }

    for (int g = 0; g < size.groups; ++g) {
        DirectoryGroup group;
        group.id = directory_id(tenant.id, kGroup, g);
        group.created_ms = now_ms - (365 - g) * kDayMs;
        switch (g) {
            case 0:
                group.display_name = "Service Accounts";
                group.description = "Members are not audited (Vigil service-account group)";
                for (int n = 5; n < size.users; n += 25) group.member_ids.push_back(user(n));
                break;
            case 1:
                group.display_name = "All Staff — Zürich & Co";
                group.security_enabled = false;
                group.mail_enabled = true;
                group.unified = true;
                for (const auto& u : directory->users_) {
                    if (u.user_type == "Member" && u.account_enabled) group.member_ids.push_back(u.id);
                }
                break;
            case 2:
                group.display_name = "Tier 0 \"Privileged\" Admins";
                group.role_assignable = true;
                for (int n : {0, 1}) {
                    if (!user(n).empty()) group.member_ids.push_back(user(n));
                }
                if (size.groups > 3) group.member_ids.push_back(directory_id(tenant.id, kGroup, 3));  // nested
                break;
            case 3:
                group.display_name = "Helpdesk (nested in Tier 0)";
                for (int n : {2, 3}) {
                    if (!user(n).empty()) group.member_ids.push_back(user(n));
                }
                break;
            case 4:
                group.display_name = "Empty security group";
                break;
            default:
                group.display_name = "Project " + std::to_string(g);
                // The k-th project group of user n is (n + 7k) mod groups: each user in groups_per_user of them.
                for (int k = 0; k < std::max(size.groups_per_user, 1); ++k) {
                    if (k > 0 && (7 * k) % size.groups == 0) break;  // it would list the same users again
                    const int first = ((g - 7 * k) % size.groups + size.groups) % size.groups;
                    for (int n = first; n < size.users; n += size.groups) group.member_ids.push_back(user(n));
                }
                break;
        }
        directory->groups_.push_back(std::move(group));
    }

    if (size.users > 0) {
        for (size_t r = 0; r < std::size(kRoles); ++r) {
            DirectoryRole role;
            role.id = directory_id(tenant.id, kRole, static_cast<int>(r));
            role.role_template_id = kRoles[r].template_id;
            role.display_name = kRoles[r].name;
            role.description = kRoles[r].description;
            // A guest Global Administrator, a synced and a disabled account in privileged roles, an administrator
            // without MFA, a service principal holding a role: one of each risk.
            std::vector<std::string> members;
            switch (r) {
                case 0:
                    members = {user(0), user(1), user(9)};
                    break;
                case 1:
                    members = {user(2)};
                    break;
                case 2:
                    members = {user(4)};
                    break;
                case 3:
                    members = {user(12)};
                    if (size.applications > 0) members.push_back(directory_id(tenant.id, kServicePrincipal, 0));
                    break;
                default:
                    members = {user(3)};
                    break;
            }
            for (auto& id : members) {
                if (!id.empty()) role.member_ids.push_back(std::move(id));
            }
            directory->roles_.push_back(std::move(role));
        }
    }
    const std::string stem = tenant.domain.substr(0, tenant.domain.find('.'));
    directory->domains = {tenant.domain, stem + ".example"};
    directory->indexed_ = false;  // built while generating: index what is there now
    return directory;
}

void Directory::read(const std::function<void(const Directory&)>& f) const {
    std::lock_guard lock(mutex_);
    f(*this);
}

void Directory::record(std::string kind, std::string id, std::string member_id, bool removed) {
    changes_.push_back(DirectoryChange{++version_, std::move(kind), std::move(id), std::move(member_id), removed});
}

void Directory::index() const {
    if (indexed_) return;
    user_index_.clear();
    group_index_.clear();
    principal_index_.clear();
    for (size_t i = 0; i < users_.size(); ++i) user_index_[users_[i].id] = i;
    for (size_t i = 0; i < groups_.size(); ++i) group_index_[groups_[i].id] = i;
    for (size_t i = 0; i < service_principals_.size(); ++i) principal_index_[service_principals_[i].id] = i;
    indexed_ = true;
}

DirectoryUser* Directory::user_at(const std::string& id) {
    return const_cast<DirectoryUser*>(find_user(id));
}

DirectoryGroup* Directory::group_at(const std::string& id) {
    return const_cast<DirectoryGroup*>(find_group(id));
}

void Directory::upsert_user(const DirectoryUser& user) {
    std::lock_guard lock(mutex_);
    if (DirectoryUser* existing = user_at(user.id)) {
        *existing = user;
    } else {
        users_.push_back(user);
        indexed_ = false;
    }
    record("user", user.id, "", false);
}

bool Directory::update_user(const std::string& id, const std::function<void(DirectoryUser&)>& change) {
    std::lock_guard lock(mutex_);
    DirectoryUser* user = user_at(id);
    if (user == nullptr) return false;
    change(*user);
    record("user", id, "", false);
    return true;
}

bool Directory::delete_user(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(users_.begin(), users_.end(), [&](const DirectoryUser& u) { return u.id == id; });
    if (it == users_.end()) return false;
    users_.erase(it);
    indexed_ = false;
    record("user", id, "", true);
    for (auto& group : groups_) {
        const auto member = std::find(group.member_ids.begin(), group.member_ids.end(), id);
        if (member == group.member_ids.end()) continue;
        group.member_ids.erase(member);
        record("membership", group.id, id, true);
    }
    for (auto& role : roles_) std::erase(role.member_ids, id);
    return true;
}

void Directory::upsert_group(const DirectoryGroup& group) {
    std::lock_guard lock(mutex_);
    if (DirectoryGroup* existing = group_at(group.id)) {
        *existing = group;
    } else {
        groups_.push_back(group);
        indexed_ = false;
    }
    record("group", group.id, "", false);
}

bool Directory::delete_group(const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(groups_.begin(), groups_.end(), [&](const DirectoryGroup& g) { return g.id == id; });
    if (it == groups_.end()) return false;
    groups_.erase(it);
    indexed_ = false;
    record("group", id, "", true);
    return true;
}

bool Directory::add_member(const std::string& group_id, const std::string& member_id) {
    std::lock_guard lock(mutex_);
    DirectoryGroup* group = group_at(group_id);
    if (group == nullptr ||
        std::find(group->member_ids.begin(), group->member_ids.end(), member_id) != group->member_ids.end()) {
        return false;
    }
    group->member_ids.push_back(member_id);
    record("membership", group_id, member_id, false);
    return true;
}

bool Directory::remove_member(const std::string& group_id, const std::string& member_id) {
    std::lock_guard lock(mutex_);
    DirectoryGroup* group = group_at(group_id);
    if (group == nullptr || std::erase(group->member_ids, member_id) == 0) return false;
    record("membership", group_id, member_id, true);
    return true;
}

const DirectoryUser* Directory::find_user(const std::string& id) const {
    index();
    const auto it = user_index_.find(id);
    return it == user_index_.end() ? nullptr : &users_[it->second];
}

const DirectoryGroup* Directory::find_group(const std::string& id) const {
    index();
    const auto it = group_index_.find(id);
    return it == group_index_.end() ? nullptr : &groups_[it->second];
}

const DirectoryServicePrincipal* Directory::find_service_principal(const std::string& id) const {
    index();
    const auto it = principal_index_.find(id);
    return it == principal_index_.end() ? nullptr : &service_principals_[it->second];
}

std::string Directory::odata_type_of(const std::string& id) const {
    if (find_user(id) != nullptr) return "#microsoft.graph.user";
    if (find_group(id) != nullptr) return "#microsoft.graph.group";
    if (find_service_principal(id) != nullptr) return "#microsoft.graph.servicePrincipal";
    return "";
}

std::vector<std::string> Directory::transitive_members(const std::string& group_id) const {
    std::vector<std::string> members;
    std::set<std::string> seen{group_id};  // nesting may loop; each member is listed once
    std::vector<std::string> pending{group_id};
    while (!pending.empty()) {
        const DirectoryGroup* group = find_group(pending.back());
        pending.pop_back();
        if (group == nullptr) continue;
        for (const auto& id : group->member_ids) {
            if (!seen.insert(id).second) continue;
            members.push_back(id);
            if (find_group(id) != nullptr) pending.push_back(id);
        }
    }
    return members;
}

}  // namespace vigil::emulator
