// The limiter counts a request from when its answer is back, holds a place while it is in flight, keeps the
// reporting and directory budgets apart (requests versus ResourceUnits), and defers a budget after a Retry-After.
#include "graph/request_limiter.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace vigil::graph {
namespace {

using namespace std::chrono_literals;
using Clock = RequestLimiter::Clock;

const RequestCost kReport{RequestCost::Budget::reports, 1};

TEST(RequestLimiter, ARequestInFlightHoldsItsPlaceUntilAWindowAfterItsAnswer) {
    RequestLimiter limiter(1, 200ms);
    std::atomic<bool> cancelled{false};
    const auto first = limiter.acquire("t/a", kReport, cancelled);
    ASSERT_TRUE(first);
    auto second = std::async(std::launch::async, [&] { return limiter.acquire("t/a", kReport, cancelled); });
    // The first request is slow (a token fetch, a TLS handshake): 300 ms, longer than the window.
    EXPECT_EQ(second.wait_for(300ms), std::future_status::timeout) << "counted from sending, it would be free";
    const auto answered = Clock::now();
    limiter.complete("t/a", kReport, *first);
    ASSERT_TRUE(second.get());
    EXPECT_GE(Clock::now() - answered, 190ms) << "a whole window after the answer";
}

TEST(RequestLimiter, OtherKeysAndTheOtherBudgetAreNotHeldUp) {
    RequestLimiter limiter(1, 10s);
    std::atomic<bool> cancelled{false};
    ASSERT_TRUE(limiter.acquire("t1/a", kReport, cancelled));
    const auto started = Clock::now();
    ASSERT_TRUE(limiter.acquire("t2/a", kReport, cancelled));
    ASSERT_TRUE(limiter.acquire("t1/a", RequestCost{RequestCost::Budget::directory, 2}, cancelled))
        << "directory reads do not wait for the reporting budget";
    EXPECT_LT(Clock::now() - started, 50ms);
}

TEST(RequestLimiter, DirectoryRequestsSpendResourceUnits) {
    GraphBudgets budgets;
    budgets.directory_units = 10;
    budgets.directory_window = 300ms;
    RequestLimiter limiter(budgets);
    std::atomic<bool> cancelled{false};
    const RequestCost members{RequestCost::Budget::directory, 3};
    const auto started = Clock::now();
    for (int i = 0; i < 3; ++i) {
        const auto ticket = limiter.acquire("t/a", members, cancelled);
        ASSERT_TRUE(ticket);
        limiter.complete("t/a", members, *ticket);
    }
    EXPECT_LT(Clock::now() - started, 50ms) << "9 of 10 units";
    const auto ticket = limiter.acquire("t/a", members, cancelled);
    ASSERT_TRUE(ticket);
    EXPECT_GE(Clock::now() - started, 280ms) << "12 units would exceed 10: the fourth waits for the window";
}

TEST(RequestLimiter, SignInActivityHasABudgetOfItsOwn) {
    GraphBudgets budgets;
    budgets.sign_in_activity_requests = 2;
    budgets.sign_in_activity_window = 300ms;
    RequestLimiter limiter(budgets);
    std::atomic<bool> cancelled{false};
    const RequestCost activity = request_cost("/v1.0/users?$select=id,signInActivity&$top=500");
    const auto started = Clock::now();
    for (int i = 0; i < 2; ++i) {
        const auto ticket = limiter.acquire("t/a", activity, cancelled);
        ASSERT_TRUE(ticket);
        limiter.complete("t/a", activity, *ticket);
    }
    ASSERT_TRUE(limiter.acquire("t/a", kReport, cancelled)) << "the reports budget is another one";
    EXPECT_LT(Clock::now() - started, 50ms);
    ASSERT_TRUE(limiter.acquire("t/a", activity, cancelled));
    EXPECT_GE(Clock::now() - started, 280ms) << "a third within the window waits for it";
}

TEST(RequestLimiter, RetryAfterDefersTheBudgetAndCancellationEndsTheWait) {
    RequestLimiter limiter(100, 1s);
    std::atomic<bool> cancelled{false};
    limiter.defer("t/a", kReport, 250ms);
    const auto started = Clock::now();
    ASSERT_TRUE(limiter.acquire("t/a", kReport, cancelled));
    EXPECT_GE(Clock::now() - started, 240ms);

    limiter.defer("t/a", kReport, 60s);
    auto waiting = std::async(std::launch::async, [&] { return limiter.acquire("t/a", kReport, cancelled); });
    std::this_thread::sleep_for(50ms);
    cancelled = true;
    EXPECT_FALSE(waiting.get()) << "a stopping agent is not held up by a long Retry-After";
}

TEST(RequestCost, ReportsCountRequestsAndDirectoryReadsTheirDocumentedUnits) {
    using Budget = RequestCost::Budget;
    const auto is = [](const RequestCost& cost, Budget budget, int units) {
        return cost.budget == budget && cost.units == units;
    };
    EXPECT_TRUE(is(request_cost("/v1.0/auditLogs/signIns?$top=1000"), Budget::reports, 1));
    EXPECT_TRUE(is(request_cost("/v1.0/reports/authenticationMethods/userRegistrationDetails"), Budget::reports, 1));
    EXPECT_TRUE(is(request_cost("/v1.0/users?$select=id,signInActivity&$top=500"), Budget::sign_in_activity, 1))
        << "signInActivity has a limit of its own";
    EXPECT_TRUE(is(request_cost("/v1.0/users"), Budget::directory, 2));
    EXPECT_TRUE(is(request_cost("/v1.0/users?$select=id,displayName"), Budget::directory, 1));
    EXPECT_TRUE(is(request_cost("https://graph.microsoft.com/v1.0/applications?$top=999"), Budget::directory, 2));
    EXPECT_TRUE(is(request_cost("/v1.0/groups/g1/members?$top=999"), Budget::directory, 3));
    EXPECT_TRUE(is(request_cost("/v1.0/groups/g1/transitiveMembers?$select=id&$top=5"), Budget::directory, 3));
    EXPECT_TRUE(is(request_cost("/v1.0/groups?$expand=owners"), Budget::directory, 2));
    EXPECT_TRUE(is(request_cost("/v1.0/directoryRoles?$select=id"), Budget::directory, 1)) << "at least 1";
}

}  // namespace
}  // namespace vigil::graph
