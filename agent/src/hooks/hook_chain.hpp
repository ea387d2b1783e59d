#pragma once

#include "pipeline/event.hpp"

#include <memory>
#include <string>
#include <vector>

namespace vigil {

enum class HookVerdict { keep, drop };

// One step run on every event before it is stored (Lua scripts implement it; tests use C++ ones). A hook may change
// the event in place. It must not throw: a failing hook decides itself, by its policy, whether the event is kept.
class Hook {
public:
    virtual ~Hook() = default;
    virtual HookVerdict on_event(Event& event, const JobIdentity& job) = 0;
};

// The configured hooks in order. Not thread-safe: each collection worker owns its own chain, so a hook's state
// (a Lua interpreter) is never shared between threads.
class HookChain {
public:
    void add(std::unique_ptr<Hook> hook) { hooks_.push_back(std::move(hook)); }
    bool empty() const { return hooks_.empty(); }

    HookVerdict apply(Event& event, const JobIdentity& job) {
        for (const auto& hook : hooks_) {
            if (hook->on_event(event, job) == HookVerdict::drop) return HookVerdict::drop;
        }
        return HookVerdict::keep;
    }

private:
    std::vector<std::unique_ptr<Hook>> hooks_;
};

}  // namespace vigil
