#include "hooks/lua_hook_set.hpp"

#include "hooks/lua_hook.hpp"

namespace vigil {

LuaHookSet::LuaHookSet(const std::vector<HookConfig>& hooks, const ServiceAccounts* service_accounts)
    : service_accounts_(service_accounts) {
    for (const HookConfig& hook : hooks) scripts_.push_back(Script{hook, read_hook_script(hook.path)});
    (void)make();  // a script that does not load fails the start, not the first event
}

std::unique_ptr<HookChain> LuaHookSet::make() const {
    auto chain = std::make_unique<HookChain>();
    for (const Script& script : scripts_) {
        LuaHookOptions options;
        options.path = script.config.path;
        options.params_yaml = script.config.params_yaml;
        options.on_error = script.config.drop_on_error ? HookFailurePolicy::drop : HookFailurePolicy::keep;
        options.service_accounts = service_accounts_;
        chain->add(std::make_unique<LuaHook>(script.text, options));
    }
    return chain;
}

}  // namespace vigil
