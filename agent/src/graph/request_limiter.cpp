#include "graph/request_limiter.hpp"

#include <algorithm>
#include <thread>

namespace vigil::graph {

namespace {

constexpr auto kPollStep = std::chrono::milliseconds(100);

}  // namespace

RequestLimiter::State& RequestLimiter::state_of(const std::string& key, RequestCost cost) {
    switch (cost.budget) {
        case RequestCost::Budget::reports:
            return states_[key + "\nreports"];
        case RequestCost::Budget::sign_in_activity:
            return states_[key + "\nsignInActivity"];
        default:
            return states_[key + "\ndirectory"];
    }
}

RequestLimiter::Clock::time_point RequestLimiter::ready_at(State& state, int units, int limit,
                                                           std::chrono::milliseconds window,
                                                           Clock::time_point now) const {
    std::erase_if(state.requests, [&](const Request& r) {
        return r.counted_at != Clock::time_point::max() && r.counted_at + window <= now;
    });
    int used = 0;
    for (const Request& r : state.requests) used += r.units;
    Clock::time_point ready = state.not_before;
    // A request dearer than the whole budget goes alone rather than never.
    if (used + units <= limit || used == 0) return ready;
    // Free the oldest until it fits; requests in flight sort last and free only once answered.
    std::vector<const Request*> oldest_first;
    for (const Request& r : state.requests) oldest_first.push_back(&r);
    std::sort(oldest_first.begin(), oldest_first.end(),
              [](const Request* a, const Request* b) { return a->counted_at < b->counted_at; });
    for (const Request* r : oldest_first) {
        used -= r->units;
        if (used + units <= limit) {
            return std::max(ready,
                            r->counted_at == Clock::time_point::max() ? now + kPollStep : r->counted_at + window);
        }
    }
    return std::max(ready, now + kPollStep);
}

std::optional<uint64_t> RequestLimiter::acquire(const std::string& key, RequestCost cost,
                                                const std::atomic<bool>& cancelled) {
    int limit = budgets_.directory_units;
    auto window = budgets_.directory_window;
    int units = cost.units;
    if (cost.budget == RequestCost::Budget::reports) {
        limit = budgets_.report_requests, window = budgets_.report_window, units = 1;
    } else if (cost.budget == RequestCost::Budget::sign_in_activity) {
        limit = budgets_.sign_in_activity_requests, window = budgets_.sign_in_activity_window, units = 1;
    }
    while (!cancelled.load()) {
        Clock::time_point ready;
        {
            std::lock_guard lock(mutex_);
            State& state = state_of(key, cost);
            const auto now = Clock::now();
            ready = ready_at(state, units, limit, window, now);
            if (ready <= now) {
                const uint64_t ticket = next_ticket_++;
                state.requests.push_back(Request{ticket, units, Clock::time_point::max()});
                return ticket;
            }
        }
        // Sleep in short steps so a stopping agent is not held up by a long Retry-After.
        std::this_thread::sleep_for(std::min<Clock::duration>(ready - Clock::now(), kPollStep));
    }
    return std::nullopt;
}

void RequestLimiter::complete(const std::string& key, RequestCost cost, uint64_t ticket) {
    std::lock_guard lock(mutex_);
    for (Request& r : state_of(key, cost).requests) {
        if (r.ticket == ticket) r.counted_at = Clock::now();
    }
}

void RequestLimiter::defer(const std::string& key, RequestCost cost, std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    State& state = state_of(key, cost);
    state.not_before = std::max(state.not_before, Clock::now() + delay);
}

}  // namespace vigil::graph
