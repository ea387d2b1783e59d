#pragma once

#include "directory_model.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::connectors {

// The metrics of ../shared/reference/risk-metrics.md. Each is a count or a percentage; its level is low up to
// low_max, high from high_from, medium between (so "0 / 1-5 / >5" is low_max 0, high_from 6).
struct RiskMetricSpec {
    std::string_view id;
    std::string_view title;
    bool percent;
    int64_t low_max;
    int64_t high_from;
};

inline constexpr std::array<RiskMetricSpec, 15> kRiskMetrics{{
    {"pwd_never_expires", "Users with \"Password never expires\"", false, 0, 6},
    {"pwd_not_strong", "Users allowed weak passwords", false, 0, 3},
    {"inactive_users", "Inactive user accounts", true, 0, 1},
    {"stale_guests", "Stale guest accounts", false, 0, 4},
    {"no_mfa", "Users with no MFA registered", true, 0, 5},
    {"admins_no_mfa", "Administrators with no MFA registered", false, 0, 1},
    {"admin_accounts", "Accounts with administrative roles", true, 2, 3},
    {"privileged_guests", "Guests in privileged roles", false, 0, 1},
    {"privileged_synced", "Synced accounts in privileged roles", false, 0, 1},
    {"disabled_privileged", "Disabled accounts still in privileged roles or groups", false, 0, 2},
    {"empty_groups", "Empty security groups", true, 1, 2},
    {"app_creds_expired", "Applications with expired credentials", false, 0, 3},
    {"app_creds_expiring", "Application credentials expiring soon", false, 0, 4},
    {"app_secret_lifetime", "Long-lived application secrets", false, 0, 4},
    {"self_service_users", "Users created by email-verified self-service sign-up", false, 0, 6},
}};
// The sixteenth metric, global_admins, is high outside [global_admins_min, global_admins_max].

struct RiskSettings {
    int64_t inactive_days = 30;
    int64_t stale_guest_days = 35;
    int64_t expiring_days = 30;
    int64_t secret_max_days = 180;
    int64_t certificate_max_days = 365;
    int64_t global_admins_min = 2;
    int64_t global_admins_max = 8;
    std::map<std::string, std::pair<int64_t, int64_t>, std::less<>> levels;  // id -> (low_max, high_from)
};

struct RiskResult {
    std::string id;
    std::string title;
    std::string level;   // low | medium | high | unknown
    std::string reason;  // unknown: why (a permission or licence)
    bool percent = false;
    double value = 0;  // the count, or the percentage of `of`
    int64_t count = 0;
    int64_t of = 0;                    // percentages: of how many
    std::vector<std::string> objects;  // what is behind it, readable, sorted
};

// Every metric, from the model of this run, at now_ms.
std::vector<RiskResult> compute_risks(const DirectoryModel& model, const RiskSettings& settings, int64_t now_ms);

// The state a risk is stored as (kind "risk"): value, level, count, of, objects (the first 1,000; objects_total
// says how many), reason.
std::string risk_json(const RiskResult& risk);

}  // namespace vigil::connectors
