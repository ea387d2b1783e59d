#pragma once

#include <chrono>
#include <cstdint>

namespace vigil {

// Milliseconds since the Unix epoch, UTC: event times, token expiries, checkpoints. (Durations use steady_clock.)
inline int64_t wall_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace vigil
