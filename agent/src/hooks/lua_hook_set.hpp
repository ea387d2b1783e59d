#pragma once

#include "config/config.hpp"
#include "hooks/hook_chain.hpp"
#include "hooks/service_accounts.hpp"

#include <memory>
#include <string>
#include <vector>

namespace vigil {

// The configured hooks (agent.hooks), read once at start; each collection worker gets its own chain of fresh Lua
// interpreters from make(), so no interpreter is ever shared between threads.
class LuaHookSet {
public:
    // Reads every script; throws std::runtime_error naming the file when one cannot be read or loaded.
    explicit LuaHookSet(const std::vector<HookConfig>& hooks, const ServiceAccounts* service_accounts = nullptr);
    std::unique_ptr<HookChain> make() const;

private:
    struct Script {
        HookConfig config;
        std::string text;
    };
    std::vector<Script> scripts_;
    const ServiceAccounts* service_accounts_;
};

}  // namespace vigil
