#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil {

// A report's --since, --until or --at: an ISO 8601 date or time ("2026-11-01", "2026-11-01T10:30:00Z",
// "2026-11-01T10:30:00.5+02:00"; a time without an offset is UTC), or a duration back from now ("24h", "7d").
// Milliseconds since the Unix epoch; nullopt when it is neither.
std::optional<int64_t> parse_report_time(std::string_view text, int64_t now_ms);

}  // namespace vigil
