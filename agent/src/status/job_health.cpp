#include "status/job_health.hpp"

namespace vigil {

void JobHealth::started(int64_t now_ms) {
    std::lock_guard lock(mutex_);
    snapshot_.state = State::running;
    snapshot_.last_started_ms = now_ms;
    run_started_ms_ = now_ms;
}

void JobHealth::paused(int64_t now_ms, std::string reason) {
    std::lock_guard lock(mutex_);
    snapshot_.state = State::paused;
    snapshot_.last_ended_ms = now_ms;
    snapshot_.paused_reason = std::move(reason);
}

void JobHealth::succeeded(int64_t now_ms) {
    std::lock_guard lock(mutex_);
    snapshot_.state = State::ok;
    ++snapshot_.runs;
    snapshot_.consecutive_failures = 0;
    snapshot_.last_ended_ms = now_ms;
    snapshot_.last_success_ms = now_ms;
    snapshot_.last_success_started_ms = run_started_ms_;
    snapshot_.last_error.clear();
    snapshot_.paused_reason.clear();
}

void JobHealth::failed(int64_t now_ms, std::string reason) {
    std::lock_guard lock(mutex_);
    snapshot_.state = State::failing;
    ++snapshot_.runs;
    ++snapshot_.failed_runs;
    ++snapshot_.consecutive_failures;
    snapshot_.last_ended_ms = now_ms;
    snapshot_.last_error = std::move(reason);
    snapshot_.paused_reason.clear();
}

JobHealth::Snapshot JobHealth::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

const char* state_name(JobHealth::State state) {
    switch (state) {
        case JobHealth::State::waiting:
            return "waiting";
        case JobHealth::State::running:
            return "running";
        case JobHealth::State::paused:
            return "paused";
        case JobHealth::State::failing:
            return "failing";
        case JobHealth::State::ok:
            return "ok";
    }
    return "unknown";
}

}  // namespace vigil
