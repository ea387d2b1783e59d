#pragma once

#include "graph/request_cost.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vigil::graph {

// Graph's budgets per tenant+application (graph-api.md section 4.1), as the agent keeps under them.
struct GraphBudgets {
    int report_requests = 5;  // identity and access reports: requests per window
    std::chrono::milliseconds report_window{10'000};
    int directory_units = 3'500;  // directory ResourceUnits per window: the smallest tenants' bucket
    std::chrono::milliseconds directory_window{10'000};
    int sign_in_activity_requests = 10;  // users with signInActivity: requests per minute
    std::chrono::milliseconds sign_in_activity_window{60'000};
};

// Keeps each tenant+application under Graph's budgets, so that 429s are the exception, and sends nothing on a
// budget before a Retry-After has passed. Shared by every job of the process; waiting for one key never blocks
// another.
//
// Graph counts a request when it arrives; the limiter cannot know that moment, so a request holds its place as
// "now" while in flight and is stamped when its answer is back (an upper bound of its arrival). Counting at the
// moment of sending would let a slow first request (token fetch, TLS handshake) fall out of the client's window
// while it is still inside Graph's.
class RequestLimiter {
public:
    using Clock = std::chrono::steady_clock;

    explicit RequestLimiter(GraphBudgets budgets) : budgets_(budgets) {}
    // Reports at max_requests per window; the directory at its default budget.
    RequestLimiter(int max_requests, std::chrono::milliseconds window)
        : RequestLimiter(GraphBudgets{max_requests, window, GraphBudgets{}.directory_units, window}) {}

    // Waits until a request of that cost may be sent for key and counts it; returns the ticket to complete() once
    // the answer is back (or the request failed). nullopt if cancelled while waiting.
    std::optional<uint64_t> acquire(const std::string& key, RequestCost cost, const std::atomic<bool>& cancelled);
    void complete(const std::string& key, RequestCost cost, uint64_t ticket);
    // Nothing on that budget for key before `delay` from now (Retry-After).
    void defer(const std::string& key, RequestCost cost, std::chrono::milliseconds delay);

private:
    struct Request {
        uint64_t ticket;
        int units;
        Clock::time_point counted_at;  // time_point::max() while in flight
    };
    struct State {
        std::vector<Request> requests;  // within the window, or in flight
        Clock::time_point not_before{};
    };
    State& state_of(const std::string& key, RequestCost cost);  // under mutex_
    // When a request of `units` fits in state (window: the budget's), given what is counted or in flight.
    Clock::time_point ready_at(State& state, int units, int limit, std::chrono::milliseconds window,
                               Clock::time_point now) const;

    GraphBudgets budgets_;
    std::mutex mutex_;
    uint64_t next_ticket_ = 1;
    std::map<std::string, State> states_;  // by key and budget
};

// Completes a limiter ticket when it goes out of scope, whatever way the request ended.
class LimiterTicket {
public:
    LimiterTicket(RequestLimiter& limiter, const std::string& key, RequestCost cost, uint64_t ticket)
        : limiter_(limiter), key_(key), cost_(cost), ticket_(ticket) {}
    ~LimiterTicket() { limiter_.complete(key_, cost_, ticket_); }
    LimiterTicket(const LimiterTicket&) = delete;
    LimiterTicket& operator=(const LimiterTicket&) = delete;

private:
    RequestLimiter& limiter_;
    const std::string& key_;
    RequestCost cost_;
    uint64_t ticket_;
};

}  // namespace vigil::graph
