// The hooks shipped in config/hooks/, run as the agent runs them, on events built for each case.
#include "hooks/lua_hook.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

const JobIdentity kActivity{"Contoso", "", "11111111-1111-4111-8111-111111111111", "entra_activity"};
const JobIdentity kLogons{"Contoso", "", "11111111-1111-4111-8111-111111111111", "entra_logons"};

LuaHook shipped(const std::string& name, const std::string& params) {
    LuaHookOptions options;
    options.path = name;
    options.params_yaml = params;
    options.on_error = HookFailurePolicy::drop;  // a failing example must show in the test
    return LuaHook(read_hook_script(test::source_dir() + "/config/hooks/" + name), options);
}

Event audit(const std::string& category) {
    Event event;
    event.id = "a-" + category;
    event.raw_json = R"({"id":"a","category":")" + category + R"(","activityDisplayName":"x"})";
    return event;
}

Event logon(const std::string& status, const std::string& country) {
    Event event;
    event.id = "s-" + status + country;
    event.status = status;
    event.details_json = country.empty() ? "{}" : R"({"location":{"city":"x","country":")" + country + R"("}})";
    return event;
}

TEST(ShippedHooks, DropCategoriesLeavesOutTheNamedAuditCategories) {
    LuaHook hook = shipped("drop_categories.lua", "{categories: [Policy, DeviceManagement]}");
    Event policy = audit("Policy");
    Event device = audit("DeviceManagement");
    Event users = audit("UserManagement");
    EXPECT_EQ(hook.on_event(policy, kActivity), HookVerdict::drop);
    EXPECT_EQ(hook.on_event(device, kActivity), HookVerdict::drop);
    EXPECT_EQ(hook.on_event(users, kActivity), HookVerdict::keep);
    Event other = audit("Policy");
    EXPECT_EQ(hook.on_event(other, kLogons), HookVerdict::keep) << "only Activity events";
    EXPECT_EQ(hook.failures(), 0u);
}

TEST(ShippedHooks, FailedLogonsAbroadKeepsOnlyFailuresOutsideTheAllowedCountries) {
    LuaHook hook = shipped("failed_logons_abroad.lua", "{allowed: [CH, FR]}");
    Event home = logon("failure", "CH");
    Event abroad = logon("failure", "BR");
    Event unknown = logon("failure", "");
    Event success = logon("success", "BR");
    EXPECT_EQ(hook.on_event(home, kLogons), HookVerdict::drop);
    EXPECT_EQ(hook.on_event(abroad, kLogons), HookVerdict::keep);
    EXPECT_EQ(hook.on_event(unknown, kLogons), HookVerdict::keep) << "no country: outside";
    EXPECT_EQ(hook.on_event(success, kLogons), HookVerdict::drop);
    Event activity = audit("Policy");
    EXPECT_EQ(hook.on_event(activity, kActivity), HookVerdict::keep);
    EXPECT_EQ(hook.failures(), 0u);
}

TEST(ShippedHooks, RedactMasksTheAddressAndOptionallyTheActorAndRaw) {
    LuaHook hook = shipped("redact.lua", "{who: true}");
    Event v4 = logon("failure", "BR");
    v4.workstation = "203.0.113.77";
    v4.who = "ann@contoso.com";
    v4.raw_json = R"({"ipAddress":"203.0.113.77"})";
    ASSERT_EQ(hook.on_event(v4, kLogons), HookVerdict::keep);
    EXPECT_EQ(v4.workstation, "203.0.113.0");
    EXPECT_EQ(v4.who, "redacted");
    EXPECT_EQ(v4.raw_json, "") << "the raw record carries the same address";
    Event v6 = logon("failure", "BR");
    v6.workstation = "2001:db8:85a3:8d3:1319:8a2e:370:7348";
    ASSERT_EQ(hook.on_event(v6, kLogons), HookVerdict::keep);
    EXPECT_EQ(v6.workstation, "2001:db8:85a3:8d3::");
    LuaHook keep_raw = shipped("redact.lua", "{keep_raw: true}");
    Event kept = logon("failure", "BR");
    kept.who = "ann@contoso.com";
    kept.raw_json = "{}";
    keep_raw.on_event(kept, kLogons);
    EXPECT_EQ(kept.who, "ann@contoso.com");
    EXPECT_EQ(kept.raw_json, "{}");
}

TEST(ShippedHooks, EveryShippedHookValidates) {
    for (const char* name : {"service_accounts.lua", "drop_categories.lua", "failed_logons_abroad.lua", "redact.lua"}) {
        EXPECT_EQ(check_hook_script(test::source_dir() + "/config/hooks/" + name), "") << name;
    }
}

}  // namespace
}  // namespace vigil
