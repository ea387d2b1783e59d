#pragma once

#include "hooks/hook_chain.hpp"
#include "pipeline/scheduled_job.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace vigil {

// Runs jobs on their intervals with a fixed pool of worker threads (never a thread per tenant).
//  - A job never runs on two workers at once; its next run is planned when the current one ends.
//  - First runs start at once, spread by a small jitter; later runs come every interval, +-10% jitter (at most
//    30 s) so that many sources do not hit Graph in lockstep.
//  - A failed run is retried after 10 s, 20 s, 40 s ... (at most the interval, at most 15 min), never stopping
//    the other jobs.
//  - once: each job runs exactly one time; wait() returns when all have run.
class Scheduler {
public:
    struct Options {
        int workers = 4;
        bool once = false;
        int64_t first_run_jitter_ms = 2000;
        int64_t retry_base_ms = 10'000;
        int64_t retry_max_ms = 15LL * 60'000;
    };
    using HookChainFactory = std::function<std::unique_ptr<HookChain>()>;

    Scheduler(const std::vector<ScheduledJob*>& jobs, Options options, HookChainFactory make_hooks);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    void start();
    // Asks workers to stop taking jobs; running jobs see their cancellation flag and return.
    void request_stop();
    // Blocks until every worker has exited: after request_stop(), or in once mode when every job has run.
    void wait();

    size_t failed_runs() const { return failed_runs_.load(); }
    size_t completed_runs() const { return completed_runs_.load(); }

private:
    using Clock = std::chrono::steady_clock;
    struct Slot {
        ScheduledJob* job;
        Clock::time_point due;
        int failures = 0;
        bool running = false;
        bool done = false;  // once mode: ran
    };

    void work();
    Clock::time_point next_due(const Slot& slot, bool succeeded, Clock::time_point started);
    int64_t jitter_ms(int64_t max_ms);

    std::vector<Slot> slots_;
    Options options_;
    HookChainFactory make_hooks_;
    std::vector<std::thread> workers_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool stopping_ = false;
    std::mt19937_64 random_;
    std::atomic<size_t> failed_runs_{0};
    std::atomic<size_t> completed_runs_{0};
};

}  // namespace vigil
