#include "graph/request_limiter.hpp"

#include <algorithm>
#include <thread>

namespace vigil::graph {

std::optional<uint64_t> RequestLimiter::acquire(const std::string& key, const std::atomic<bool>& cancelled) {
    constexpr auto kPollStep = std::chrono::milliseconds(100);
    while (!cancelled.load()) {
        Clock::time_point ready;
        {
            std::lock_guard lock(mutex_);
            State& state = states_[key];
            const auto now = Clock::now();
            std::erase_if(state.requests, [&](const Request& r) {
                return r.counted_at != Clock::time_point::max() && r.counted_at + window_ <= now;
            });
            ready = state.not_before;
            if (static_cast<int>(state.requests.size()) >= max_requests_) {
                Clock::time_point oldest = Clock::time_point::max();
                for (const Request& r : state.requests) oldest = std::min(oldest, r.counted_at);
                // All in flight: their place frees only once they are answered and a window has passed.
                ready = std::max(ready, oldest == Clock::time_point::max() ? now + kPollStep : oldest + window_);
            }
            if (ready <= now) {
                const uint64_t ticket = next_ticket_++;
                state.requests.push_back(Request{ticket, Clock::time_point::max()});
                return ticket;
            }
        }
        // Sleep in short steps so a stopping agent is not held up by a long Retry-After.
        std::this_thread::sleep_for(std::min<Clock::duration>(ready - Clock::now(), kPollStep));
    }
    return std::nullopt;
}

void RequestLimiter::complete(const std::string& key, uint64_t ticket) {
    std::lock_guard lock(mutex_);
    for (Request& r : states_[key].requests) {
        if (r.ticket == ticket) r.counted_at = Clock::now();
    }
}

void RequestLimiter::defer(const std::string& key, std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    State& state = states_[key];
    state.not_before = std::max(state.not_before, Clock::now() + delay);
}

}  // namespace vigil::graph
