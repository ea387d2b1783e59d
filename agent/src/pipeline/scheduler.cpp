#include "pipeline/scheduler.hpp"

#include <algorithm>

namespace vigil {

Scheduler::Scheduler(const std::vector<ScheduledJob*>& jobs, Options options, HookChainFactory make_hooks)
    : options_(options), make_hooks_(std::move(make_hooks)), random_(std::random_device{}()) {
    const auto now = Clock::now();
    for (ScheduledJob* job : jobs) {
        const int64_t spread = options_.once ? 0 : jitter_ms(options_.first_run_jitter_ms);
        slots_.push_back(Slot{job, now + std::chrono::milliseconds(spread)});
    }
}

Scheduler::~Scheduler() {
    request_stop();
    wait();
}

void Scheduler::start() {
    const size_t count = std::max<size_t>(
        1, std::min<size_t>(static_cast<size_t>(options_.workers), std::max<size_t>(1, slots_.size())));
    for (size_t i = 0; i < count; ++i) workers_.emplace_back([this] { work(); });
}

void Scheduler::request_stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
}

void Scheduler::wait() {
    for (auto& worker : workers_) {
        if (worker.joinable()) worker.join();
    }
    workers_.clear();
}

int64_t Scheduler::jitter_ms(int64_t max_ms) {
    if (max_ms <= 0) return 0;
    return std::uniform_int_distribution<int64_t>(0, max_ms)(random_);
}

Scheduler::Clock::time_point Scheduler::next_due(const Slot& slot, bool succeeded, Clock::time_point started) {
    const int64_t interval = slot.job->interval_ms();
    if (succeeded) {
        const int64_t spread = std::min<int64_t>(interval / 10, 30'000);
        const int64_t offset = jitter_ms(2 * spread) - spread;
        return started + std::chrono::milliseconds(std::max<int64_t>(interval + offset, 1));
    }
    const int shift = std::min(slot.failures - 1, 20);
    int64_t delay = std::min(options_.retry_base_ms << shift, options_.retry_max_ms);
    delay = std::min(delay, interval);
    delay += jitter_ms(delay / 10);
    return Clock::now() + std::chrono::milliseconds(delay);
}

void Scheduler::work() {
    const std::unique_ptr<HookChain> hooks = make_hooks_ ? make_hooks_() : std::make_unique<HookChain>();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        // The earliest due job that is not running (and, once, has not run).
        Slot* next = nullptr;
        bool all_done = true;
        for (Slot& slot : slots_) {
            if (!slot.done) all_done = false;
            if (slot.running || slot.done) continue;
            if (next == nullptr || slot.due < next->due) next = &slot;
        }
        if (options_.once && all_done) break;
        if (next == nullptr) {
            changed_.wait(lock);
            continue;
        }
        const auto now = Clock::now();
        if (next->due > now) {
            changed_.wait_until(lock, next->due);
            continue;
        }
        next->running = true;
        lock.unlock();
        const auto started = Clock::now();
        const bool succeeded = next->job->run(*hooks);
        lock.lock();
        next->running = false;
        ++completed_runs_;
        if (succeeded) {
            next->failures = 0;
        } else {
            ++next->failures;
            ++failed_runs_;
        }
        if (options_.once) {
            next->done = true;
        } else {
            next->due = next_due(*next, succeeded, started);
        }
        changed_.notify_all();
    }
    // Wake the other workers: in once mode they may be waiting for the last run to finish.
    changed_.notify_all();
}

}  // namespace vigil
