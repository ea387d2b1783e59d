#include "risk_metrics.hpp"

#include "state_json.hpp"
#include "utc_time.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

namespace vigil::connectors {

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr size_t kMaxObjectsStored = 1'000;

// SCuBA's highly privileged roles, by display name.
const std::set<std::string, std::less<>> kHighlyPrivileged = {
    "Global Administrator",      "Privileged Role Administrator",  "User Administrator",
    "SharePoint Administrator",  "Exchange Administrator",         "Hybrid Identity Administrator",
    "Application Administrator", "Cloud Application Administrator"};

bool enabled_member(const UserInfo& user) {
    return user.enabled && user.user_type == "Member";
}

// Builds one metric's result: the level from its thresholds (or the settings' override).
class Builder {
public:
    Builder(const RiskSettings& settings, std::vector<RiskResult>& out) : settings_(settings), out_(out) {}

    RiskResult& start(std::string_view id) {
        RiskResult& result = out_.emplace_back();
        result.id = std::string(id);
        if (id == "global_admins") result.title = "Improper number of Global Administrators";
        for (const auto& spec : kRiskMetrics) {
            if (spec.id == id) {
                result.title = std::string(spec.title);
                result.percent = spec.percent;
            }
        }
        return result;
    }
    void unknown(std::string_view id, const std::string& reason) {
        RiskResult& result = start(id);
        result.level = "unknown";
        result.reason = reason.empty() ? "the data it needs could not be read" : reason;
    }
    void counted(std::string_view id, std::vector<std::string> objects, int64_t of = 0) {
        RiskResult& result = start(id);
        std::sort(objects.begin(), objects.end());
        result.count = static_cast<int64_t>(objects.size());
        result.of = of;
        result.value = result.percent
                           ? (of > 0 ? 100.0 * static_cast<double>(result.count) / static_cast<double>(of) : 0)
                           : static_cast<double>(result.count);
        result.objects = std::move(objects);
        int64_t low_max = 0;
        int64_t high_from = 0;
        for (const auto& spec : kRiskMetrics) {
            if (spec.id == id) low_max = spec.low_max, high_from = spec.high_from;
        }
        if (const auto it = settings_.levels.find(id); it != settings_.levels.end()) {
            low_max = it->second.first;
            high_from = it->second.second;
        }
        result.level = result.value <= static_cast<double>(low_max)     ? "low"
                       : result.value >= static_cast<double>(high_from) ? "high"
                                                                        : "medium";
    }

private:
    const RiskSettings& settings_;
    std::vector<RiskResult>& out_;
};

std::string day_of(int64_t ms) {
    return format_utc_s(ms).substr(0, 10);
}

}  // namespace

std::vector<RiskResult> compute_risks(const DirectoryModel& model, const RiskSettings& settings, int64_t now_ms) {
    std::vector<RiskResult> out;
    Builder build(settings, out);
    const auto& users = model.users();

    // Password policies and self-service accounts: from the users alone.
    std::vector<std::string> never_expires, not_strong, self_service;
    int64_t enabled_members = 0;
    for (const auto& [id, user] : users) {
        if (enabled_member(user)) ++enabled_members;
        if (user.enabled && user.password_policies.find("DisablePasswordExpiration") != std::string::npos) {
            never_expires.push_back(user.upn);
        }
        if (user.enabled && user.password_policies.find("DisableStrongPassword") != std::string::npos) {
            not_strong.push_back(user.upn);
        }
        if (user.creation_type == "EmailVerified") self_service.push_back(user.upn);
    }
    build.counted("pwd_never_expires", never_expires);
    build.counted("pwd_not_strong", not_strong);

    // Sign-in activity.
    if (model.last_sign_in) {
        std::vector<std::string> inactive, stale;
        const auto idle_since = [&](const std::string& id, const UserInfo& user, int64_t days) {
            const auto it = model.last_sign_in->find(id);
            const int64_t last = it == model.last_sign_in->end() ? 0 : it->second;
            const int64_t cutoff = now_ms - days * kDayMs;
            return last > 0 ? last < cutoff : (user.created_ms > 0 && user.created_ms < cutoff);
        };
        for (const auto& [id, user] : users) {
            if (enabled_member(user) && idle_since(id, user, settings.inactive_days)) inactive.push_back(user.upn);
            if (user.enabled && user.user_type == "Guest" && idle_since(id, user, settings.stale_guest_days)) {
                stale.push_back(user.upn);
            }
        }
        build.counted("inactive_users", inactive, enabled_members);
        build.counted("stale_guests", stale);
    } else {
        build.unknown("inactive_users", model.sign_ins_unread.reason);
        build.unknown("stale_guests", model.sign_ins_unread.reason);
    }

    // Roles: who holds one, who holds a highly privileged one.
    std::set<std::string> role_holders, privileged_holders;
    std::vector<std::string> global_admins;
    if (model.roles) {
        for (const RoleInfo& role : *model.roles) {
            for (const MemberRef& member : role.members) {
                if (member.type != "User") continue;
                role_holders.insert(member.id);
                if (kHighlyPrivileged.count(role.name) != 0) privileged_holders.insert(member.id);
                if (role.name == "Global Administrator") global_admins.push_back(model.name_of(member.id));
            }
        }
    }
    const auto upns = [&](const std::set<std::string>& ids, auto&& keep) {
        std::vector<std::string> out_names;
        for (const std::string& id : ids) {
            const auto it = users.find(id);
            if (it != users.end() && keep(id, it->second)) out_names.push_back(it->second.upn);
        }
        return out_names;
    };

    if (model.mfa) {
        std::vector<std::string> no_mfa;
        for (const auto& [id, user] : users) {
            const auto it = model.mfa->find(id);
            if (enabled_member(user) && it != model.mfa->end() && !it->second) no_mfa.push_back(user.upn);
        }
        build.counted("no_mfa", no_mfa, enabled_members);
        if (model.roles) {
            build.counted("admins_no_mfa", upns(role_holders, [&](const std::string& id, const UserInfo&) {
                              const auto it = model.mfa->find(id);
                              return it != model.mfa->end() && !it->second;
                          }));
        } else {
            build.unknown("admins_no_mfa", model.roles_unread.reason);
        }
    } else {
        build.unknown("no_mfa", model.mfa_unread.reason);
        build.unknown("admins_no_mfa", model.mfa_unread.reason);
    }

    if (model.roles) {
        build.counted("admin_accounts", upns(role_holders, [](const std::string&, const UserInfo&) { return true; }),
                      static_cast<int64_t>(users.size()));
        RiskResult& admins = build.start("global_admins");
        std::sort(global_admins.begin(), global_admins.end());
        admins.count = static_cast<int64_t>(global_admins.size());
        admins.value = static_cast<double>(admins.count);
        admins.objects = global_admins;
        admins.level =
            admins.count >= settings.global_admins_min && admins.count <= settings.global_admins_max ? "low" : "high";
        build.counted("privileged_guests", upns(privileged_holders, [](const std::string&, const UserInfo& user) {
                          return user.user_type == "Guest";
                      }));
        build.counted("privileged_synced", upns(privileged_holders, [](const std::string&, const UserInfo& user) {
                          return user.synced.value_or(false);
                      }));
        build.counted("disabled_privileged",
                      upns(role_holders, [](const std::string&, const UserInfo& user) { return !user.enabled; }));
    } else {
        for (const char* id :
             {"admin_accounts", "global_admins", "privileged_guests", "privileged_synced", "disabled_privileged"}) {
            build.unknown(id, model.roles_unread.reason);
        }
    }

    // Groups.
    std::vector<std::string> empty_groups;
    for (const auto& [id, group] : model.groups()) {
        if (group.security && model.member_count(id) == 0) {
            empty_groups.push_back(group.name);
        }
    }
    build.counted("empty_groups", empty_groups, static_cast<int64_t>(model.groups().size()));

    // Application credentials.
    if (model.applications) {
        std::vector<std::string> expired, expiring, long_lived;
        for (const ApplicationInfo& application : *model.applications) {
            bool has_expired = false, has_expiring = false, has_long = false;
            std::string expired_detail, expiring_detail, long_detail;
            for (const CredentialInfo& credential : application.credentials) {
                const std::string label =
                    (credential.certificate ? "certificate '" : "secret '") + credential.name + "'";
                if (credential.end_ms > 0 && credential.end_ms < now_ms) {
                    has_expired = true;
                    expired_detail = label + " expired " + day_of(credential.end_ms);
                } else if (credential.end_ms > 0 && credential.end_ms < now_ms + settings.expiring_days * kDayMs) {
                    has_expiring = true;
                    expiring_detail = label + " expires " + day_of(credential.end_ms);
                }
                const int64_t lifetime_days = (credential.end_ms - credential.start_ms) / kDayMs;
                const int64_t limit = credential.certificate ? settings.certificate_max_days : settings.secret_max_days;
                if (credential.start_ms > 0 && credential.end_ms > 0 && lifetime_days > limit) {
                    has_long = true;
                    long_detail = label + " valid " + std::to_string(lifetime_days) + " days";
                }
            }
            if (has_expired) expired.push_back(application.name + ": " + expired_detail);
            if (has_expiring) expiring.push_back(application.name + ": " + expiring_detail);
            if (has_long) long_lived.push_back(application.name + ": " + long_detail);
        }
        build.counted("app_creds_expired", expired);
        build.counted("app_creds_expiring", expiring);
        build.counted("app_secret_lifetime", long_lived);
    } else {
        for (const char* id : {"app_creds_expired", "app_creds_expiring", "app_secret_lifetime"}) {
            build.unknown(id, model.applications_unread.reason);
        }
    }
    build.counted("self_service_users", self_service);
    return out;
}

std::string risk_json(const RiskResult& risk) {
    std::string out = "{\"title\":";
    append_string(out, risk.title);
    out += ",\"level\":";
    append_string(out, risk.level);
    if (risk.level == "unknown") {
        out += ",\"value\":null,\"reason\":";
        append_string(out, risk.reason);
        out += '}';
        return out;
    }
    char value[64];
    std::snprintf(value, sizeof(value), risk.percent ? "%.2f" : "%.0f", risk.value);
    out += ",\"value\":";
    out += value;
    out += ",\"unit\":";
    out += risk.percent ? "\"percent\"" : "\"count\"";
    out += ",\"count\":" + std::to_string(risk.count);
    if (risk.percent) out += ",\"of\":" + std::to_string(risk.of);
    out += ",\"objects\":[";
    for (size_t i = 0; i < risk.objects.size() && i < kMaxObjectsStored; ++i) {
        if (i > 0) out += ',';
        append_string(out, risk.objects[i]);
    }
    out += "],\"objects_total\":" + std::to_string(risk.objects.size()) + "}";
    return out;
}

}  // namespace vigil::connectors
