#pragma once

#include "hooks/hook_chain.hpp"
#include "hooks/lua_sandbox.hpp"
#include "hooks/service_accounts.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace vigil {

// What to do with an event when its hook fails (a script error, the instruction budget spent): keep it (the
// default: nothing is lost to a broken script) or drop it.
enum class HookFailurePolicy { keep, drop };

struct LuaHookOptions {
    std::string path;         // for messages
    std::string params_yaml;  // the hook's `params`, as YAML; handed to the script as ctx.params
    HookFailurePolicy on_error = HookFailurePolicy::keep;
    LuaSandbox::Limits limits;
    const ServiceAccounts* service_accounts = nullptr;  // what ctx.is_service_account answers from; shared
};

// A Lua hook (agent.hooks): the script defines on_event(event, ctx); returning the event keeps it (changed or
// not), nil drops it. ctx carries organization, source_group, tenant_id and connector, the hook's params,
// log(message), rate-limited, and is_service_account(who): whether a UPN or object id is a member of the source's
// service_account_groups (nested groups included). One interpreter per hook and worker: never shared between threads.
class LuaHook final : public Hook {
public:
    // Loads the script (text); throws std::runtime_error naming the file and line when it does not compile, fails at
    // its top level, or defines no on_event function.
    LuaHook(const std::string& script, LuaHookOptions options);

    HookVerdict on_event(Event& event, const JobIdentity& job) override;

    uint64_t failures() const { return failures_; }

private:
    void push_context(const JobIdentity& job);
    JobIdentity context_job_;  // the job ctx was last filled for
    bool context_filled_ = false;
    std::string source_key_;  // its key in the service accounts
    void failed(const Event& event, const char* why);
    bool may_log();

    LuaHookOptions options_;
    LuaSandbox sandbox_;
    int on_event_ = LUA_NOREF;  // the function, in the registry
    int context_ = LUA_NOREF;   // ctx, reused: only its job fields change per event
    uint64_t failures_ = 0;
    Event backup_;  // the event as it was, copied by its first change in a call
    bool backed_up_ = false;
    // ctx.log and failure lines: at most kLinesPerMinute a minute per hook, then one line saying how many were held.
    std::chrono::steady_clock::time_point log_window_{};
    int log_lines_ = 0;
    int held_lines_ = 0;
};

// Checks a hook script as `vigil validate` does: compiles, runs its top level, has on_event. Empty when fine, else
// the problem (naming the file and line).
std::string check_hook_script(const std::string& path, const std::string& params_yaml = "");

// A hook script's text; throws std::runtime_error naming the file when it cannot be read.
std::string read_hook_script(const std::string& path);

}  // namespace vigil
