// The limiter counts a request from when its answer is back, holds a place while it is in flight, and defers a
// whole tenant+application after a Retry-After.
#include "graph/request_limiter.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace vigil::graph {
namespace {

using namespace std::chrono_literals;
using Clock = RequestLimiter::Clock;

TEST(RequestLimiter, ARequestInFlightHoldsItsPlaceUntilAWindowAfterItsAnswer) {
    RequestLimiter limiter(1, 200ms);
    std::atomic<bool> cancelled{false};
    const auto first = limiter.acquire("t/a", cancelled);
    ASSERT_TRUE(first);
    auto second = std::async(std::launch::async, [&] { return limiter.acquire("t/a", cancelled); });
    // The first request is slow (a token fetch, a TLS handshake): 300 ms, longer than the window.
    EXPECT_EQ(second.wait_for(300ms), std::future_status::timeout) << "counted from sending, it would be free";
    const auto answered = Clock::now();
    limiter.complete("t/a", *first);
    ASSERT_TRUE(second.get());
    EXPECT_GE(Clock::now() - answered, 190ms) << "a whole window after the answer";
}

TEST(RequestLimiter, OtherKeysAreNotHeldUp) {
    RequestLimiter limiter(1, 10s);
    std::atomic<bool> cancelled{false};
    ASSERT_TRUE(limiter.acquire("t1/a", cancelled));
    const auto started = Clock::now();
    ASSERT_TRUE(limiter.acquire("t2/a", cancelled));
    EXPECT_LT(Clock::now() - started, 50ms);
}

TEST(RequestLimiter, RetryAfterDefersTheKeyAndCancellationEndsTheWait) {
    RequestLimiter limiter(100, 1s);
    std::atomic<bool> cancelled{false};
    limiter.defer("t/a", 250ms);
    const auto started = Clock::now();
    ASSERT_TRUE(limiter.acquire("t/a", cancelled));
    EXPECT_GE(Clock::now() - started, 240ms);

    limiter.defer("t/a", 60s);
    auto waiting = std::async(std::launch::async, [&] { return limiter.acquire("t/a", cancelled); });
    std::this_thread::sleep_for(50ms);
    cancelled = true;
    EXPECT_FALSE(waiting.get()) << "a stopping agent is not held up by a long Retry-After";
}

}  // namespace
}  // namespace vigil::graph
