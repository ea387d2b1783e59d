#pragma once

#include <cstdint>
#include <mutex>
#include <string>

namespace vigil {

// How a collection job's runs went, for the status endpoint and the `run --once` summary: written by the worker
// running the job, read by the status server's thread (a copy under the lock).
class JobHealth {
public:
    enum class State { waiting, running, paused, failing, ok };

    struct Snapshot {
        State state = State::waiting;  // waiting: no run yet
        uint64_t runs = 0;
        uint64_t failed_runs = 0;
        uint64_t consecutive_failures = 0;
        int64_t last_started_ms = 0;  // 0: never
        int64_t last_ended_ms = 0;
        int64_t last_success_ms = 0;          // when the last successful run ended
        int64_t last_success_started_ms = 0;  // when it began: what it collected reaches up to about then
        std::string last_error;               // the last failed run's reason, in words; cleared by a success
        std::string paused_reason;            // set while collection waits for the outputs (spool budget)
    };

    void started(int64_t now_ms);
    void paused(int64_t now_ms, std::string reason);
    void succeeded(int64_t now_ms);
    void failed(int64_t now_ms, std::string reason);
    Snapshot snapshot() const;

private:
    mutable std::mutex mutex_;
    Snapshot snapshot_;
    int64_t run_started_ms_ = 0;
};

const char* state_name(JobHealth::State state);

}  // namespace vigil
