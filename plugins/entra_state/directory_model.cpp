#include "directory_model.hpp"

#include "utc_time.hpp"

#include <simdjson.h>

namespace vigil::connectors {

namespace {

std::string text(simdjson::dom::object object, std::string_view key) {
    std::string_view value;
    return object[key].get_string().get(value) == simdjson::SUCCESS ? std::string(value) : std::string();
}

std::optional<bool> flag(simdjson::dom::object object, std::string_view key) {
    bool value = false;
    if (object[key].get_bool().get(value) != simdjson::SUCCESS) return std::nullopt;
    return value;
}

int64_t time_of(simdjson::dom::object object, std::string_view key) {
    return parse_utc_ms(text(object, key)).value_or(0);
}

}  // namespace

uint32_t DirectoryModel::intern(const std::string& id) {
    const auto [it, added] = interned_.try_emplace(id, static_cast<uint32_t>(ids_.size()));
    if (added) ids_.push_back(id);
    return it->second;
}

void DirectoryModel::set_user(const std::string& id, std::string canonical_json) {
    simdjson::dom::object object;
    UserInfo user;
    if (parser_.parse(canonical_json).get(object) == simdjson::SUCCESS) {
        user.upn = text(object, "userPrincipalName");
        user.user_type = text(object, "userType");
        user.creation_type = text(object, "creationType");
        user.password_policies = text(object, "passwordPolicies");
        user.enabled = flag(object, "accountEnabled").value_or(true);
        user.created_ms = time_of(object, "createdDateTime");
        user.synced = flag(object, "onPremisesSyncEnabled");
    }
    users_[id] = std::move(user);
    user_json_[id] = std::move(canonical_json);
}

void DirectoryModel::remove_user(const std::string& id) {
    users_.erase(id);
    user_json_.erase(id);
    if (const auto it = interned_.find(id); it != interned_.end()) {
        for (auto& [group, members] : members_) members.erase(it->second);
    }
}

const std::string* DirectoryModel::user_json(const std::string& id) const {
    const auto it = user_json_.find(id);
    return it == user_json_.end() ? nullptr : &it->second;
}

void DirectoryModel::set_group(const std::string& id, std::string canonical_json) {
    simdjson::dom::object object;
    GroupInfo group;
    if (parser_.parse(canonical_json).get(object) == simdjson::SUCCESS) {
        group.name = text(object, "displayName");
        group.security = flag(object, "securityEnabled").value_or(false);
        group.role_assignable = flag(object, "isAssignableToRole").value_or(false);
    }
    groups_[id] = std::move(group);
    group_json_[id] = std::move(canonical_json);
    members_.try_emplace(intern(id));
}

void DirectoryModel::remove_group(const std::string& id) {
    groups_.erase(id);
    group_json_.erase(id);
    if (const auto it = interned_.find(id); it != interned_.end()) members_.erase(it->second);
}

const std::string* DirectoryModel::group_json(const std::string& id) const {
    const auto it = group_json_.find(id);
    return it == group_json_.end() ? nullptr : &it->second;
}

void DirectoryModel::add_member(const std::string& group_id, const std::string& member_id) {
    const uint32_t group = intern(group_id);
    members_[group].insert(intern(member_id));
}

void DirectoryModel::remove_member(const std::string& group_id, const std::string& member_id) {
    const auto group = interned_.find(group_id);
    const auto member = interned_.find(member_id);
    if (group == interned_.end() || member == interned_.end()) return;
    if (const auto it = members_.find(group->second); it != members_.end()) it->second.erase(member->second);
}

std::vector<std::string> DirectoryModel::members_of(const std::string& group_id) const {
    std::vector<std::string> out;
    const auto group = interned_.find(group_id);
    if (group == interned_.end()) return out;
    if (const auto it = members_.find(group->second); it != members_.end()) {
        for (const uint32_t member : it->second) out.push_back(ids_[member]);
    }
    return out;
}

size_t DirectoryModel::member_count(const std::string& group_id) const {
    const auto group = interned_.find(group_id);
    if (group == interned_.end()) return 0;
    const auto it = members_.find(group->second);
    return it == members_.end() ? 0 : it->second.size();
}

void DirectoryModel::clear_users() {
    users_.clear();
    user_json_.clear();
}

void DirectoryModel::clear_groups() {
    groups_.clear();
    group_json_.clear();
    members_.clear();
}

std::string DirectoryModel::name_of(const std::string& id) const {
    if (const auto user = users_.find(id); user != users_.end() && !user->second.upn.empty()) return user->second.upn;
    if (const auto group = groups_.find(id); group != groups_.end() && !group->second.name.empty()) {
        return group->second.name;
    }
    if (const auto principal = service_principal_names.find(id); principal != service_principal_names.end()) {
        return principal->second;
    }
    return id;
}

std::string DirectoryModel::type_of(const std::string& id) const {
    if (users_.count(id) != 0) return "User";
    if (groups_.count(id) != 0) return "Group";
    if (service_principal_names.count(id) != 0) return "ServicePrincipal";
    return "";
}

}  // namespace vigil::connectors
