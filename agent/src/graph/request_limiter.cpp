#include "graph/request_limiter.hpp"

#include <algorithm>
#include <thread>

namespace vigil::graph {

bool RequestLimiter::acquire(const std::string& key, const std::atomic<bool>& cancelled) {
    while (!cancelled.load()) {
        Clock::time_point ready;
        {
            std::lock_guard lock(mutex_);
            State& state = states_[key];
            const auto now = Clock::now();
            while (!state.sent.empty() && state.sent.front() + window_ <= now) state.sent.pop_front();
            ready = state.not_before;
            if (static_cast<int>(state.sent.size()) >= max_requests_)
                ready = std::max(ready, state.sent.front() + window_);
            if (ready <= now) {
                state.sent.push_back(now);
                return true;
            }
        }
        // Sleep in short steps so a stopping agent is not held up by a long Retry-After.
        std::this_thread::sleep_for(std::min<Clock::duration>(ready - Clock::now(), std::chrono::milliseconds(100)));
    }
    return false;
}

void RequestLimiter::defer(const std::string& key, std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    State& state = states_[key];
    state.not_before = std::max(state.not_before, Clock::now() + delay);
}

}  // namespace vigil::graph
