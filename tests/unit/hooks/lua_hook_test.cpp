// Lua hooks: the contract (keep, change, drop; ctx and params), the sandbox (no way out, memory capped, an
// instruction budget a pcall cannot swallow) and what a failing script does to the event (the policy).
#include "hooks/lua_hook.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

namespace vigil {
namespace {

const JobIdentity kJob{"Contoso", "Cloud", "11111111-1111-4111-8111-111111111111", "entra_logons"};

Event sample() {
    Event event;
    event.id = "e1";
    event.time_ms = 1'795'000'000'000;
    event.action = "Failed Logon";
    event.who = "ann@contoso.com";
    event.workstation = "203.0.113.7";
    event.status = "failure";
    event.details_json = R"({"location":{"country":"BR"}})";
    return event;
}

LuaHook hook(const std::string& script, HookFailurePolicy on_error = HookFailurePolicy::keep,
             const std::string& params = "") {
    LuaHookOptions options;
    options.path = "test.lua";
    options.params_yaml = params;
    options.on_error = on_error;
    options.limits.instructions_per_call = 100'000;
    options.limits.memory_bytes = 4u << 20;
    return LuaHook(script, options);
}

TEST(LuaHook, ReturningTheEventKeepsItChangedAndNilDropsIt) {
    LuaHook redact = hook("function on_event(event, ctx) event.workstation = nil; event.who = 'x' return event end");
    Event event = sample();
    EXPECT_EQ(redact.on_event(event, kJob), HookVerdict::keep);
    EXPECT_EQ(event.workstation, "");
    EXPECT_EQ(event.who, "x");
    LuaHook only_failures =
        hook("function on_event(event) if event.status ~= 'failure' then return nil end return event end");
    Event success = sample();
    success.status = "success";
    EXPECT_EQ(only_failures.on_event(success, kJob), HookVerdict::drop);
    Event failure = sample();
    EXPECT_EQ(only_failures.on_event(failure, kJob), HookVerdict::keep);
}

TEST(LuaHook, ContextCarriesTheJobAndTheParams) {
    LuaHook check = hook(R"(
        function on_event(event, ctx)
            if ctx.tenant_id ~= '11111111-1111-4111-8111-111111111111' or ctx.connector ~= 'entra_logons' then
                error('wrong context: ' .. tostring(ctx.tenant_id))
            end
            for _, country in ipairs(ctx.params.allowed) do
                if event.details:find('"country":"' .. country .. '"', 1, true) then return nil end
            end
            event.what = event.organization .. '/' .. event.source_group .. ' ' .. ctx.params.label .. ' ' ..
                         tostring(ctx.params.limit + 1) .. ' ' .. event.time
            return event
        end)",
                         HookFailurePolicy::drop, "{allowed: [CH, FR], label: outside, limit: 2}");
    Event from_brazil = sample();
    ASSERT_EQ(check.on_event(from_brazil, kJob), HookVerdict::keep) << "BR is not in the allowed list";
    EXPECT_EQ(from_brazil.what, "Contoso/Cloud outside 3 2026-11-18T11:06:40.000Z");
    Event from_france = sample();
    from_france.details_json = R"({"location":{"country":"FR"}})";
    EXPECT_EQ(check.on_event(from_france, kJob), HookVerdict::drop);
    EXPECT_EQ(check.failures(), 0u);
}

TEST(LuaHook, EveryWayOutIsClosed) {
    const char* escapes[] = {
        "os.execute('touch /tmp/vigil-escaped')",
        "io.open('/etc/passwd')",
        "require('os')",
        "dofile('/etc/passwd')",
        "loadfile('/etc/passwd')",
        "debug.getinfo(1)",
        "package.loadlib('libc.so.6', 'system')",
        "string.dump(function() end)",
        "assert(load('\\27Lua\\84\\0'))()",
    };
    for (const char* escape : escapes) {
        LuaHook attempt = hook(std::string("function on_event(event) ") + escape + " return event end");
        Event event = sample();
        EXPECT_EQ(attempt.on_event(event, kJob), HookVerdict::keep) << escape << ": kept, by the default policy";
        EXPECT_EQ(attempt.failures(), 1u) << escape << " must fail";
        EXPECT_EQ(event.who, "ann@contoso.com");
    }
    EXPECT_FALSE(std::filesystem::exists("/tmp/vigil-escaped"));
}

TEST(LuaHook, BombsRecursionAndCoroutinesFailCleanly) {
    const char* attacks[] = {
        "local s = string.rep('x', 1000000000)",                              // a memory bomb in one call
        "local t = {} for i = 1, 64 do t[i] = string.rep('x', 1048576) end",  // one a piece at a time
        "local function deeper(n) return deeper(n + 1) + 1 end deeper(1)",    // unbounded recursion
        "coroutine.wrap(function() while true do coroutine.yield() end end)()",
    };
    for (const char* attack : attacks) {
        LuaHook attempt = hook(std::string("function on_event(event) ") + attack + " return event end");
        Event event = sample();
        EXPECT_EQ(attempt.on_event(event, kJob), HookVerdict::keep) << attack;
        EXPECT_EQ(attempt.failures(), 1u) << attack << " must fail, not crash or hang";
        Event next = sample();
        attempt.on_event(next, kJob);  // and the interpreter lives on (the attack fails again, cleanly)
        EXPECT_EQ(attempt.failures(), 2u) << attack;
    }
}

TEST(LuaHook, HooksRunInOrderAndCannotSeeEachOthersGlobals) {
    HookChain chain;
    LuaHookOptions first;
    first.path = "first.lua";
    LuaHookOptions second;
    second.path = "second.lua";
    chain.add(std::make_unique<LuaHook>(
        "function on_event(event) shared = 'from the first hook' event.what = event.what .. 'A' return event end",
        first));
    auto* checker = new LuaHook(
        "function on_event(event) if shared ~= nil then error('saw the first hook: ' .. shared) end "
        "event.what = event.what .. 'B' return event end",
        second);
    chain.add(std::unique_ptr<Hook>(checker));
    Event event = sample();
    event.what = "";
    EXPECT_EQ(chain.apply(event, kJob), HookVerdict::keep);
    EXPECT_EQ(event.what, "AB") << "the configured order";
    EXPECT_EQ(checker->failures(), 0u) << "each hook has an interpreter of its own";
}

TEST(LuaHook, AnEndlessLoopIsStoppedEvenInsideAPcall) {
    for (const char* script : {"function on_event(event) while true do end end",
                               "function on_event(event) pcall(function() while true do end end) return event end",
                               "function on_event(event) while not pcall(function() while true do end end) do end "
                               "return event end"}) {
        LuaHook loop = hook(script, HookFailurePolicy::drop);
        Event event = sample();
        const auto started = std::chrono::steady_clock::now();
        EXPECT_EQ(loop.on_event(event, kJob), HookVerdict::drop) << script;
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << script;
        EXPECT_EQ(loop.failures(), 1u) << script;
        // The interpreter is still usable: the budget is per call.
        LuaHook fine = hook("function on_event(event) local n = 0 for i = 1, 1000 do n = n + i end return event end");
        Event next = sample();
        EXPECT_EQ(fine.on_event(next, kJob), HookVerdict::keep);
    }
}

TEST(LuaHook, MemoryIsCappedAndTheHookRecovers) {
    LuaHook greedy = hook(R"(
        calls = 0
        function on_event(event)
            calls = calls + 1
            if calls == 1 then local t = {} for i = 1, 10000000 do t[i] = i end end
            return event
        end)");
    Event first = sample();
    EXPECT_EQ(greedy.on_event(first, kJob), HookVerdict::keep);
    EXPECT_EQ(greedy.failures(), 1u) << "not enough memory under the cap";
    Event second = sample();
    EXPECT_EQ(greedy.on_event(second, kJob), HookVerdict::keep);
    EXPECT_EQ(greedy.failures(), 1u) << "the next call works";
}

TEST(LuaHook, AFailedCallLeavesTheEventAsItWasAndTheIdCannotChange) {
    LuaHook half = hook("function on_event(event) event.who = 'changed' error('boom') end");
    Event event = sample();
    EXPECT_EQ(half.on_event(event, kJob), HookVerdict::keep);
    EXPECT_EQ(event.who, "ann@contoso.com") << "the change before the error is undone";
    LuaHook rename = hook("function on_event(event) event.id = 'other' return event end");
    Event renamed = sample();
    rename.on_event(renamed, kJob);
    EXPECT_EQ(renamed.id, "e1");
    EXPECT_EQ(rename.failures(), 1u);
}

TEST(LuaHook, AnEventKeptPastItsCallIsAnErrorNotFreedMemory) {
    LuaHook keeper = hook(R"(
        function on_event(event)
            if kept then local _ = kept.who end
            kept = event
            return event
        end)");
    Event first = sample();
    EXPECT_EQ(keeper.on_event(first, kJob), HookVerdict::keep);
    EXPECT_EQ(keeper.failures(), 0u);
    Event second = sample();
    keeper.on_event(second, kJob);
    EXPECT_EQ(keeper.failures(), 1u) << "reading the first call's event in the second";
}

TEST(LuaHook, ABrokenScriptIsRefusedWithItsLine) {
    try {
        hook("function on_event(event)\n  return event\nend end");
        FAIL() << "a syntax error must be refused";
    } catch (const std::runtime_error& failure) {
        EXPECT_NE(std::string(failure.what()).find("test.lua:3:"), std::string::npos) << failure.what();
    }
    try {
        hook("function handle(event) return event end");
        FAIL() << "a script without on_event must be refused";
    } catch (const std::runtime_error& failure) {
        EXPECT_NE(std::string(failure.what()).find("defines no on_event"), std::string::npos) << failure.what();
    }
}

TEST(LuaHook, ValidateChecksTheScriptFile) {
    test::TempDir dir;
    EXPECT_EQ(check_hook_script(dir.write("good.lua", "function on_event(e) return e end")), "");
    EXPECT_NE(check_hook_script(dir.write("bad.lua", "function on_event(e) return e")).find("bad.lua:1:"),
              std::string::npos);
    EXPECT_NE(check_hook_script(dir.write("escape.lua", "os.exit(1)\nfunction on_event(e) return e end")).find("os"),
              std::string::npos)
        << "the top level runs in the sandbox too";
}

}  // namespace
}  // namespace vigil
