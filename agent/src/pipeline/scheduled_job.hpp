#pragma once

#include <cstdint>
#include <string>

namespace vigil {

class HookChain;

// What the scheduler runs: one (organization, source, connector) job.
class ScheduledJob {
public:
    virtual ~ScheduledJob() = default;

    virtual const std::string& label() const = 0;
    virtual int64_t interval_ms() const = 0;
    // One collection run with the worker's own hook chain. Returns false on failure (already logged); the
    // scheduler then retries with backoff. Must not throw.
    virtual bool run(HookChain& hooks) = 0;
};

}  // namespace vigil
