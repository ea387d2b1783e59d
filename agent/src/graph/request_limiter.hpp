#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace vigil::graph {

// Keeps each tenant+application's requests under Graph's documented limit (5 per 10 s on the reporting APIs), so
// that 429s are the exception, and sends nothing for a tenant+application before a Retry-After has passed.
// Shared by every job of the process; waiting for one key never blocks another.
//
// Graph counts a request when it arrives; the limiter cannot know that moment, so a request holds its place as
// "now" while in flight and is stamped when its answer is back (an upper bound of its arrival). Counting at the
// moment of sending would let a slow first request (token fetch, TLS handshake) fall out of the client's window
// while it is still inside Graph's.
class RequestLimiter {
public:
    using Clock = std::chrono::steady_clock;

    RequestLimiter(int max_requests, std::chrono::milliseconds window) : max_requests_(max_requests), window_(window) {}

    // Waits until a request for key may be sent and counts it; returns the ticket to complete() once the answer is
    // back (or the request failed). nullopt if cancelled while waiting.
    std::optional<uint64_t> acquire(const std::string& key, const std::atomic<bool>& cancelled);
    void complete(const std::string& key, uint64_t ticket);
    // Nothing for key before `delay` from now (Retry-After).
    void defer(const std::string& key, std::chrono::milliseconds delay);

private:
    struct Request {
        uint64_t ticket;
        Clock::time_point counted_at;  // time_point::max() while in flight
    };
    struct State {
        std::vector<Request> requests;  // within the window, or in flight: at most max_requests_
        Clock::time_point not_before{};
    };
    int max_requests_;
    std::chrono::milliseconds window_;
    std::mutex mutex_;
    uint64_t next_ticket_ = 1;
    std::map<std::string, State> states_;
};

// Completes a limiter ticket when it goes out of scope, whatever way the request ended.
class LimiterTicket {
public:
    LimiterTicket(RequestLimiter& limiter, const std::string& key, uint64_t ticket)
        : limiter_(limiter), key_(key), ticket_(ticket) {}
    ~LimiterTicket() { limiter_.complete(key_, ticket_); }
    LimiterTicket(const LimiterTicket&) = delete;
    LimiterTicket& operator=(const LimiterTicket&) = delete;

private:
    RequestLimiter& limiter_;
    const std::string& key_;
    uint64_t ticket_;
};

}  // namespace vigil::graph
