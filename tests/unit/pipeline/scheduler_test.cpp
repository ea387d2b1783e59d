#include "pipeline/scheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace vigil {
namespace {

using namespace std::chrono_literals;

class FakeJob : public ScheduledJob {
public:
    FakeJob(std::string name, int64_t interval_ms, int fail_first = 0, std::chrono::milliseconds work = 0ms)
        : name_(std::move(name)), interval_ms_(interval_ms), fail_first_(fail_first), work_(work) {}
    const std::string& label() const override { return name_; }
    int64_t interval_ms() const override { return interval_ms_; }
    bool run(HookChain&) override {
        if (running_.fetch_add(1) != 0) overlapped_ = true;
        std::this_thread::sleep_for(work_);
        running_.fetch_sub(1);
        return ++runs_ > fail_first_;
    }
    std::atomic<int> runs_{0};
    std::atomic<bool> overlapped_{false};

private:
    std::string name_;
    int64_t interval_ms_;
    int fail_first_;
    std::chrono::milliseconds work_;
    std::atomic<int> running_{0};
};

Scheduler::Options fast_options(bool once) {
    Scheduler::Options options;
    options.workers = 2;
    options.once = once;
    options.first_run_jitter_ms = 0;
    options.retry_base_ms = 20;
    return options;
}

TEST(Scheduler, OnceRunsEveryJobExactlyOnceOnABoundedPool) {
    std::vector<std::unique_ptr<FakeJob>> jobs;
    std::vector<ScheduledJob*> pointers;
    for (int i = 0; i < 7; ++i) {
        jobs.push_back(std::make_unique<FakeJob>("job" + std::to_string(i), 60'000, 0, 10ms));
        pointers.push_back(jobs.back().get());
    }
    Scheduler scheduler(pointers, fast_options(true), nullptr);
    scheduler.start();
    scheduler.wait();
    for (const auto& job : jobs) EXPECT_EQ(job->runs_, 1) << job->label();
    EXPECT_EQ(scheduler.completed_runs(), 7u);
    EXPECT_EQ(scheduler.failed_runs(), 0u);
}

TEST(Scheduler, OnceCountsAFailureWithoutRetryingIt) {
    FakeJob failing("failing", 60'000, 1);
    FakeJob fine("fine", 60'000);
    Scheduler scheduler({&failing, &fine}, fast_options(true), nullptr);
    scheduler.start();
    scheduler.wait();
    EXPECT_EQ(failing.runs_, 1);
    EXPECT_EQ(fine.runs_, 1);
    EXPECT_EQ(scheduler.failed_runs(), 1u);
}

TEST(Scheduler, RunsJobsAgainOnTheirInterval) {
    FakeJob every_100ms("fast", 100);
    FakeJob hourly("slow", 3'600'000);
    Scheduler scheduler({&every_100ms, &hourly}, fast_options(false), nullptr);
    scheduler.start();
    std::this_thread::sleep_for(1050ms);
    scheduler.request_stop();
    scheduler.wait();
    // 1 s at 100 ms +-10%: about 10 runs; generous bounds keep a loaded machine from failing the test.
    EXPECT_GE(every_100ms.runs_, 6);
    EXPECT_LE(every_100ms.runs_, 13);
    EXPECT_EQ(hourly.runs_, 1);
    EXPECT_FALSE(every_100ms.overlapped_);
}

TEST(Scheduler, RetriesAFailingJobWithBackoffWithoutHoldingOthers) {
    FakeJob failing("failing", 3'600'000, 3);  // fails 3 times, then succeeds and waits an hour
    FakeJob steady("steady", 100);
    Scheduler scheduler({&failing, &steady}, fast_options(false), nullptr);
    scheduler.start();
    std::this_thread::sleep_for(600ms);  // retries after 20, 40, 80 ms
    scheduler.request_stop();
    scheduler.wait();
    EXPECT_EQ(failing.runs_, 4) << "three retries, then the success, then the hourly wait";
    EXPECT_GE(steady.runs_, 3);
    EXPECT_EQ(scheduler.failed_runs(), 3u);
}

TEST(Scheduler, StopsPromptlyWhileJobsWaitForTheirInterval) {
    FakeJob hourly("slow", 3'600'000);
    Scheduler scheduler({&hourly}, fast_options(false), nullptr);
    scheduler.start();
    std::this_thread::sleep_for(50ms);
    const auto before = std::chrono::steady_clock::now();
    scheduler.request_stop();
    scheduler.wait();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
    EXPECT_EQ(hourly.runs_, 1);
}

TEST(Scheduler, NeverRunsOneJobOnTwoWorkersAtOnce) {
    FakeJob busy("busy", 1, 0, 30ms);  // due again before it finishes
    FakeJob other("other", 1, 0, 30ms);
    Scheduler::Options options = fast_options(false);
    options.workers = 4;  // two workers for two jobs: one is always free when busy comes due again
    Scheduler scheduler({&busy, &other}, options, nullptr);
    scheduler.start();
    std::this_thread::sleep_for(300ms);
    scheduler.request_stop();
    scheduler.wait();
    EXPECT_FALSE(busy.overlapped_);
    EXPECT_FALSE(other.overlapped_);
    EXPECT_GE(busy.runs_, 3);
}

}  // namespace
}  // namespace vigil
