#pragma once

#include <atomic>
#include <cstdint>

namespace vigil::graph {

// How a job's Graph requests went, for the status endpoint: written by the job's GraphClient, read by the status
// server's thread. Counts since the agent started.
struct GraphRequestCounts {
    std::atomic<uint64_t> requests{0};   // sent (a retry is another request)
    std::atomic<uint64_t> throttled{0};  // answered 429
    std::atomic<uint64_t> failed{0};  // answered neither a page nor 429: 5xx, 4xx, a malformed page, a transport error
};

}  // namespace vigil::graph
