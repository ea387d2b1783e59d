#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace vigil::graph {

// Keeps each tenant+application's requests under Graph's documented limit (5 per 10 s on the reporting APIs), so
// that 429s are the exception, and sends nothing for a tenant+application before a Retry-After has passed.
// Shared by every job of the process; waiting for one key never blocks another.
class RequestLimiter {
public:
    using Clock = std::chrono::steady_clock;

    RequestLimiter(int max_requests, std::chrono::milliseconds window) : max_requests_(max_requests), window_(window) {}

    // Waits until a request for key may be sent and counts it. Returns false if cancelled while waiting.
    bool acquire(const std::string& key, const std::atomic<bool>& cancelled);
    // Nothing for key before `delay` from now (Retry-After).
    void defer(const std::string& key, std::chrono::milliseconds delay);

private:
    struct State {
        std::deque<Clock::time_point> sent;  // within the window
        Clock::time_point not_before{};
    };
    int max_requests_;
    std::chrono::milliseconds window_;
    std::mutex mutex_;
    std::map<std::string, State> states_;
};

}  // namespace vigil::graph
