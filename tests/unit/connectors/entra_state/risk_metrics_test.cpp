// Every risk metric of risk-metrics.md at each of its levels, on directories built for it, and `unknown` with the
// reason when what it needs could not be read.
#include "risk_metrics.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace vigil::connectors {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kNow = 1'795'000'000'000;

// A directory: `members` ordinary enabled members who signed in today and registered MFA, no roles, no apps.
struct Directory {
    DirectoryModel model;
    int next = 0;

    explicit Directory(int members = 100) {
        model.roles.emplace();
        model.applications.emplace();
        model.mfa.emplace();
        model.last_sign_in.emplace();
        for (int i = 0; i < members; ++i) user();
    }
    // An enabled member unless extra (JSON members) says otherwise.
    std::string user(const std::string& extra = "", int64_t last_sign_in = kNow, bool mfa = true) {
        const std::string id = "u" + std::to_string(next++);
        std::string json = "{";
        if (!extra.empty()) json += extra + ",";
        if (extra.find("\"accountEnabled\"") == std::string::npos) json += "\"accountEnabled\":true,";
        if (extra.find("\"userType\"") == std::string::npos) json += "\"userType\":\"Member\",";
        json += "\"userPrincipalName\":\"" + id + "@contoso.com\",\"createdDateTime\":\"2020-01-01T00:00:00Z\"}";
        model.set_user(id, json);
        (*model.last_sign_in)[id] = last_sign_in;
        (*model.mfa)[id] = mfa;
        return id;
    }
    void role(const std::string& name, const std::vector<std::string>& user_ids) {
        RoleInfo role{"r" + std::to_string(model.roles->size()), name, "", {}};
        for (const auto& id : user_ids) role.members.push_back({id, "User"});
        model.roles->push_back(role);
    }
    void application(std::vector<CredentialInfo> credentials) {
        model.applications->push_back({"a" + std::to_string(model.applications->size()),
                                       "App " + std::to_string(model.applications->size()), std::move(credentials)});
    }
    void group(bool security, int members) {
        const std::string id = "g" + std::to_string(model.groups().size());
        model.set_group(id, std::string(R"({"displayName":")") + id + R"(","securityEnabled":)" +
                                (security ? "true" : "false") + "}");
        for (int i = 0; i < members; ++i) model.add_member(id, "u0");
    }
};

RiskResult metric(const Directory& directory, const std::string& id, const RiskSettings& settings = {}) {
    for (RiskResult& risk : compute_risks(directory.model, settings, kNow)) {
        if (risk.id == id) return risk;
    }
    ADD_FAILURE() << "no metric " << id;
    return {};
}

// The level of a metric on a fresh directory of `members` users after `add` made n offending objects.
std::string level_with(const std::string& id, int n, const std::function<void(Directory&)>& add, int members = 100) {
    Directory directory(members);
    for (int i = 0; i < n; ++i) add(directory);
    return metric(directory, id).level;
}

struct Case {
    const char* metric;
    int low, medium, high;  // how many offending objects give each level (-1: the level does not exist)
    int members;
    std::function<void(Directory&)> add;
};

TEST(RiskMetrics, EveryMetricReachesEachOfItsLevels) {
    const CredentialInfo expired{"old", false, kNow - 400 * kDay, kNow - kDay};
    const CredentialInfo expiring{"soon", false, kNow - 100 * kDay, kNow + 10 * kDay};
    const Case cases[] = {
        {"pwd_never_expires", 0, 3, 6, 100,
         [](Directory& d) { d.user(R"("passwordPolicies":"DisablePasswordExpiration")"); }},
        {"pwd_not_strong", 0, 1, 3, 100,
         [](Directory& d) { d.user(R"("passwordPolicies":"DisablePasswordExpiration, DisableStrongPassword")"); }},
        {"inactive_users", 0, 1, 2, 198, [](Directory& d) { d.user("", kNow - 31 * kDay); }},  // 0.5% and 1%
        {"stale_guests", 0, 2, 4, 100, [](Directory& d) { d.user(R"("userType":"Guest")", kNow - 36 * kDay); }},
        {"no_mfa", 0, 1, 5, 95, [](Directory& d) { d.user("", kNow, false); }},  // 1.04% and 5%
        {"self_service_users", 0, 5, 6, 100, [](Directory& d) { d.user(R"("creationType":"EmailVerified")"); }},
        {"app_creds_expired", 0, 2, 3, 100, [&](Directory& d) { d.application({expired}); }},
        {"app_creds_expiring", 0, 3, 4, 100, [&](Directory& d) { d.application({expiring}); }},
        {"app_secret_lifetime", 0, 1, 4, 100,
         [](Directory& d) {
             d.application({{"cert", true, kNow - 10 * kDay, kNow + 400 * kDay}});  // 410 days > 365
         }},
    };
    for (const Case& c : cases) {
        EXPECT_EQ(level_with(c.metric, c.low, c.add, c.members), "low") << c.metric;
        EXPECT_EQ(level_with(c.metric, c.medium, c.add, c.members), "medium") << c.metric;
        EXPECT_EQ(level_with(c.metric, c.high, c.add, c.members), "high") << c.metric;
    }
}

TEST(RiskMetrics, RoleMetricsAtEachLevel) {
    const auto with_roles = [](const std::function<void(Directory&)>& setup) {
        Directory d(200);
        setup(d);
        return compute_risks(d.model, {}, kNow);
    };
    const auto level = [](const std::vector<RiskResult>& risks, const std::string& id) {
        for (const auto& risk : risks) {
            if (risk.id == id) return risk.level;
        }
        return std::string("missing");
    };
    // admin_accounts: 4 of 200 users (2%) low, 5 (2.5%) medium, 6 (3%) high; global_admins: 2..8 low.
    for (const auto& [holders, expected] :
         std::vector<std::pair<int, std::string>>{{4, "low"}, {5, "medium"}, {6, "high"}}) {
        const auto risks = with_roles([&](Directory& d) {
            std::vector<std::string> ids;
            for (int i = 0; i < holders; ++i) ids.push_back("u" + std::to_string(i));
            d.role("Global Administrator", ids);
        });
        EXPECT_EQ(level(risks, "admin_accounts"), expected) << holders;
        EXPECT_EQ(level(risks, "global_admins"), "low") << holders;
    }
    EXPECT_EQ(level(with_roles([](Directory& d) { d.role("Global Administrator", {"u0"}); }), "global_admins"), "high")
        << "one Global Administrator is too few";
    EXPECT_EQ(level(with_roles([](Directory& d) {
                        d.role("Global Administrator", {"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8"});
                    }),
                    "global_admins"),
              "high")
        << "nine are too many";

    const auto guest =
        with_roles([](Directory& d) { d.role("User Administrator", {d.user(R"("userType":"Guest")")}); });
    EXPECT_EQ(level(guest, "privileged_guests"), "high");
    const auto guest_reader =
        with_roles([](Directory& d) { d.role("Directory Readers", {d.user(R"("userType":"Guest")")}); });
    EXPECT_EQ(level(guest_reader, "privileged_guests"), "low") << "not a highly privileged role";
    EXPECT_EQ(level(with_roles([](Directory& d) {
                        d.role("Exchange Administrator", {d.user(R"("onPremisesSyncEnabled":true)")});
                    }),
                    "privileged_synced"),
              "high");
    EXPECT_EQ(level(with_roles([](Directory&) {}), "privileged_synced"), "low");
    EXPECT_EQ(
        level(with_roles([](Directory& d) { d.role("Directory Readers", {d.user(R"("accountEnabled":false)")}); }),
              "disabled_privileged"),
        "medium");
    EXPECT_EQ(
        level(
            with_roles([](Directory& d) {
                d.role("Directory Readers", {d.user(R"("accountEnabled":false)"), d.user(R"("accountEnabled":false)")});
            }),
            "disabled_privileged"),
        "high");
    EXPECT_EQ(level(with_roles([](Directory& d) { d.role("Global Administrator", {d.user("", kNow, false)}); }),
                    "admins_no_mfa"),
              "high");
    EXPECT_EQ(level(with_roles([](Directory& d) {
                        d.role("Global Administrator", {"u0", "u1"});
                    }),
                    "admins_no_mfa"),
              "low");
}

TEST(RiskMetrics, EmptySecurityGroupsAsAShareOfAllGroups) {
    const auto level_for = [](int empty_security, int empty_other, int full) {
        Directory d;
        for (int i = 0; i < empty_security; ++i) d.group(true, 0);
        for (int i = 0; i < empty_other; ++i) d.group(false, 0);
        for (int i = 0; i < full; ++i) d.group(true, 1);
        return metric(d, "empty_groups");
    };
    EXPECT_EQ(level_for(1, 10, 89).level, "low");    // 1%
    const RiskResult medium = level_for(3, 0, 197);  // 1.5%
    EXPECT_EQ(medium.level, "medium");
    EXPECT_EQ(medium.of, 200);
    EXPECT_DOUBLE_EQ(medium.value, 1.5);
    EXPECT_EQ(level_for(2, 0, 98).level, "high");  // 2%
}

TEST(RiskMetrics, WhatCouldNotBeReadIsUnknownWithTheReasonNeverLow) {
    Directory d;
    d.model.mfa.reset();
    d.model.mfa_unread.reason = "MFA registration could not be read: needs P1/P2";
    d.model.last_sign_in.reset();
    d.model.sign_ins_unread.reason = "sign-in activity could not be read";
    d.model.roles.reset();
    d.model.roles_unread.reason = "directory roles could not be read: 403";
    d.model.applications.reset();
    d.model.applications_unread.reason = "applications could not be read: 403";
    int unknown = 0;
    for (const RiskResult& risk : compute_risks(d.model, {}, kNow)) {
        if (risk.level != "unknown") continue;
        ++unknown;
        EXPECT_FALSE(risk.reason.empty()) << risk.id;
        EXPECT_NE(risk_json(risk).find("\"reason\":"), std::string::npos);
    }
    EXPECT_EQ(unknown, 12) << "all but the password, group and self-service metrics";
    EXPECT_EQ(metric(d, "no_mfa").reason, "MFA registration could not be read: needs P1/P2");
}

TEST(RiskMetrics, ThresholdsAndWindowsAreSettings) {
    Directory d;
    for (int i = 0; i < 3; ++i) d.user(R"("passwordPolicies":"DisablePasswordExpiration")");
    d.user("", kNow - 20 * kDay);
    RiskSettings settings;
    settings.levels["pwd_never_expires"] = {0, 3};
    settings.inactive_days = 14;
    EXPECT_EQ(metric(d, "pwd_never_expires", settings).level, "high");
    EXPECT_EQ(metric(d, "pwd_never_expires").level, "medium");
    EXPECT_EQ(metric(d, "inactive_users", settings).count, 1);
    EXPECT_EQ(metric(d, "inactive_users").count, 0);
}

TEST(RiskMetrics, EveryMetricIsThereAndNamesItsObjects) {
    Directory d;
    const std::string id = d.user(R"("passwordPolicies":"DisablePasswordExpiration")");
    const auto risks = compute_risks(d.model, {}, kNow);
    EXPECT_EQ(risks.size(), 16u);
    const RiskResult never = metric(d, "pwd_never_expires");
    EXPECT_EQ(never.objects, std::vector<std::string>{id + "@contoso.com"});
    EXPECT_EQ(risk_json(never), R"({"title":"Users with \"Password never expires\"","level":"medium","value":1,)"
                                R"("unit":"count","count":1,"objects":[")" +
                                    id + R"(@contoso.com"],"objects_total":1})");
}

}  // namespace
}  // namespace vigil::connectors
