// What a Lua hook costs per event (issue #6): a hook that reads two fields and returns the event, on one core
// (scripts/bench.sh pins it). The pipeline without hooks is pipeline_bench's figure, printed beside it.
//
//   hook_bench [EVENTS]      (scripts/bench.sh runs it)
#include "hooks/lua_hook.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    using Clock = std::chrono::steady_clock;
    const int events = argc > 1 ? std::atoi(argv[1]) : 1'000'000;
    const vigil::JobIdentity job{"Contoso", "Cloud", "11111111-1111-4111-8111-111111111111", "entra_logons"};
    vigil::Event event;
    event.id = "b0b0b0b0-signin-00000001";
    event.time_ms = 1'795'000'000'000;
    event.action = "Failed Logon";
    event.who = "ann@contoso.example";
    event.status = "failure";
    event.details_json = std::string(600, 'd');
    event.raw_json = std::string(1200, 'r');

    vigil::LuaHookOptions options;
    options.path = "bench.lua";
    vigil::LuaHook hook(
        "function on_event(event, ctx)\n"
        "  if event.status == 'failure' and event.who ~= 'svc@contoso.example' then return event end\n"
        "  return event\n"
        "end\n",
        options);
    size_t kept = 0;
    const auto start = Clock::now();
    for (int i = 0; i < events; ++i) kept += hook.on_event(event, job) == vigil::HookVerdict::keep ? 1 : 0;
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("hook: %d events through a two-field Lua hook in %.2f s: %.0f events/s (%.2f us each), %zu kept\n",
                events, seconds, events / seconds, seconds * 1e6 / events, kept);
    return 0;
}
