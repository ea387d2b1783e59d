// Entra State: what the directory looks like, snapshot after snapshot (users, groups and memberships, roles and
// their members, applications and service principals with their credentials, MFA registration, domains), kept in
// the host's state store, whose differences become Added / Removed / Modified events, with the risk metrics of
// ../shared/reference/risk-metrics.md computed from each snapshot and kept beside it (kind "risk").
#include "directory_model.hpp"
#include "directory_sync.hpp"
#include "risk_metrics.hpp"

#include <vigil/plugin.hpp>

#include <string>

namespace vigil::connectors {

class EntraState {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_CONNECTOR;
    static constexpr const char* name = "entra_state";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description =
        "Entra ID state in time: users, groups, roles, applications, MFA registration, and their risks";
    static constexpr vigil_config_key config_keys[] = {
        sdk::key("interval", VIGIL_VALUE_DURATION, "24h", "how often a snapshot is taken", false, 60'000,
                 30LL * 86'400'000),
        sdk::key("inactive_days", VIGIL_VALUE_INT, "30", "an enabled member not signed in for this long is inactive",
                 false, 1, 3650),
        sdk::key("stale_guest_days", VIGIL_VALUE_INT, "35", "a guest not signed in for this long is stale", false, 1,
                 3650),
        sdk::key("expiring_days", VIGIL_VALUE_INT, "30", "credentials ending within this many days are expiring", false,
                 1, 3650),
        sdk::key("secret_max_days", VIGIL_VALUE_INT, "180", "secrets valid longer than this are long-lived", false, 1,
                 36500),
        sdk::key("certificate_max_days", VIGIL_VALUE_INT, "365", "certificates valid longer than this are long-lived",
                 false, 1, 36500),
        sdk::key("global_admins_min", VIGIL_VALUE_INT, "2", "fewer Global Administrators than this is a risk", false, 0,
                 1000),
        sdk::key("global_admins_max", VIGIL_VALUE_INT, "8", "more Global Administrators than this is a risk", false, 0,
                 1000),
        sdk::key("pwd_never_expires_low_max", VIGIL_VALUE_INT, "0", "pwd_never_expires: low up to this", false, 0,
                 1000000),
        sdk::key("pwd_never_expires_high_from", VIGIL_VALUE_INT, "6", "pwd_never_expires: high from this", false, 0,
                 1000000),
        sdk::key("pwd_not_strong_low_max", VIGIL_VALUE_INT, "0", "pwd_not_strong: low up to this", false, 0, 1000000),
        sdk::key("pwd_not_strong_high_from", VIGIL_VALUE_INT, "3", "pwd_not_strong: high from this", false, 0, 1000000),
        sdk::key("inactive_users_low_max", VIGIL_VALUE_INT, "0", "inactive_users: low up to this (percent)", false, 0,
                 1000000),
        sdk::key("inactive_users_high_from", VIGIL_VALUE_INT, "1", "inactive_users: high from this (percent)", false, 0,
                 1000000),
        sdk::key("stale_guests_low_max", VIGIL_VALUE_INT, "0", "stale_guests: low up to this", false, 0, 1000000),
        sdk::key("stale_guests_high_from", VIGIL_VALUE_INT, "4", "stale_guests: high from this", false, 0, 1000000),
        sdk::key("no_mfa_low_max", VIGIL_VALUE_INT, "0", "no_mfa: low up to this (percent)", false, 0, 1000000),
        sdk::key("no_mfa_high_from", VIGIL_VALUE_INT, "5", "no_mfa: high from this (percent)", false, 0, 1000000),
        sdk::key("admins_no_mfa_low_max", VIGIL_VALUE_INT, "0", "admins_no_mfa: low up to this", false, 0, 1000000),
        sdk::key("admins_no_mfa_high_from", VIGIL_VALUE_INT, "1", "admins_no_mfa: high from this", false, 0, 1000000),
        sdk::key("admin_accounts_low_max", VIGIL_VALUE_INT, "2", "admin_accounts: low up to this (percent)", false, 0,
                 1000000),
        sdk::key("admin_accounts_high_from", VIGIL_VALUE_INT, "3", "admin_accounts: high from this (percent)", false, 0,
                 1000000),
        sdk::key("privileged_guests_low_max", VIGIL_VALUE_INT, "0", "privileged_guests: low up to this", false, 0,
                 1000000),
        sdk::key("privileged_guests_high_from", VIGIL_VALUE_INT, "1", "privileged_guests: high from this", false, 0,
                 1000000),
        sdk::key("privileged_synced_low_max", VIGIL_VALUE_INT, "0", "privileged_synced: low up to this", false, 0,
                 1000000),
        sdk::key("privileged_synced_high_from", VIGIL_VALUE_INT, "1", "privileged_synced: high from this", false, 0,
                 1000000),
        sdk::key("disabled_privileged_low_max", VIGIL_VALUE_INT, "0", "disabled_privileged: low up to this", false, 0,
                 1000000),
        sdk::key("disabled_privileged_high_from", VIGIL_VALUE_INT, "2", "disabled_privileged: high from this", false, 0,
                 1000000),
        sdk::key("empty_groups_low_max", VIGIL_VALUE_INT, "1", "empty_groups: low up to this (percent)", false, 0,
                 1000000),
        sdk::key("empty_groups_high_from", VIGIL_VALUE_INT, "2", "empty_groups: high from this (percent)", false, 0,
                 1000000),
        sdk::key("app_creds_expired_low_max", VIGIL_VALUE_INT, "0", "app_creds_expired: low up to this", false, 0,
                 1000000),
        sdk::key("app_creds_expired_high_from", VIGIL_VALUE_INT, "3", "app_creds_expired: high from this", false, 0,
                 1000000),
        sdk::key("app_creds_expiring_low_max", VIGIL_VALUE_INT, "0", "app_creds_expiring: low up to this", false, 0,
                 1000000),
        sdk::key("app_creds_expiring_high_from", VIGIL_VALUE_INT, "4", "app_creds_expiring: high from this", false, 0,
                 1000000),
        sdk::key("app_secret_lifetime_low_max", VIGIL_VALUE_INT, "0", "app_secret_lifetime: low up to this", false, 0,
                 1000000),
        sdk::key("app_secret_lifetime_high_from", VIGIL_VALUE_INT, "4", "app_secret_lifetime: high from this", false, 0,
                 1000000),
        sdk::key("self_service_users_low_max", VIGIL_VALUE_INT, "0", "self_service_users: low up to this", false, 0,
                 1000000),
        sdk::key("self_service_users_high_from", VIGIL_VALUE_INT, "6", "self_service_users: high from this", false, 0,
                 1000000),
    };
    static constexpr const char* graph_probes[] = {"/v1.0/users?$top=1", "/v1.0/groups?$top=1", "/v1.0/directoryRoles",
                                                   "/v1.0/applications?$top=1",
                                                   "/v1.0/reports/authenticationMethods/userRegistrationDetails"};

    EntraState(sdk::Host host, const sdk::Config& config) : host_(host) {
        settings_.inactive_days = config.get_int("inactive_days");
        settings_.stale_guest_days = config.get_int("stale_guest_days");
        settings_.expiring_days = config.get_int("expiring_days");
        settings_.secret_max_days = config.get_int("secret_max_days");
        settings_.certificate_max_days = config.get_int("certificate_max_days");
        settings_.global_admins_min = config.get_int("global_admins_min");
        settings_.global_admins_max = config.get_int("global_admins_max");
        if (settings_.global_admins_min > settings_.global_admins_max) {
            throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT, "global_admins_min is above global_admins_max");
        }
        for (const RiskMetricSpec& metric : kRiskMetrics) {
            const std::string id(metric.id);
            const int64_t low_max = config.get_int((id + "_low_max").c_str());
            const int64_t high_from = config.get_int((id + "_high_from").c_str());
            if (high_from < low_max) {
                throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                                 id + "_high_from (" + std::to_string(high_from) + ") is below " + id + "_low_max (" +
                                     std::to_string(low_max) + "): a value cannot be both low and high");
            }
            settings_.levels[id] = {low_max, high_from};
        }
    }

    vigil_status run() {
        if (!host_.has_state()) {
            throw sdk::Error(VIGIL_ERR_UNAVAILABLE, "this Vigil agent has no state store (plugin ABI 1.2): upgrade it");
        }
        const int64_t taken_ms = host_.now_ms();
        DirectoryModel model;
        DirectorySync sync(host_, model);
        SyncCursor cursor = SyncCursor::parse(host_.state_cursor());
        // The domains first: the default one names the snapshot's events (`where`).
        const std::string where = sync.read_domains();
        check(host_.state_begin(taken_ms, where), "open a snapshot");
        sync.store_domains();
        sync.users(cursor.users);
        sync.service_principals();
        sync.groups(cursor.groups);
        sync.roles();
        sync.applications();
        sync.mfa_registrations();
        sync.sign_in_activity();
        for (const RiskResult& risk : compute_risks(model, settings_, taken_ms)) {
            check(host_.state_put(sdk::StateObject{"risk", risk.id, "Risk", risk.title, risk_json(risk)}),
                  "store the risk " + risk.id);
        }
        check(host_.state_complete_kind("risk"), "complete the risks");
        check(host_.state_finish(cursor.text()), "finish the snapshot");
        host_.info("snapshot taken: " + std::to_string(model.users().size()) + " users, " +
                   std::to_string(model.groups().size()) + " groups");
        return VIGIL_OK;
    }

private:
    static void check(vigil_status status, const std::string& what) {
        if (status != VIGIL_OK) {
            throw sdk::Error(status, "the agent could not " + what + " (status " +
                                         std::to_string(static_cast<int>(status)) + "); its log says why");
        }
    }

    sdk::Host host_;
    RiskSettings settings_;
};

}  // namespace vigil::connectors

VIGIL_PLUGIN(vigil::connectors::EntraState)
