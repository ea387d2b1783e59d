#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Parses "250ms", "30s", "5m", "24h", "7d" into milliseconds. Returns nullopt for anything else (no unit, a sign,
// a fraction, an overflow), so the caller can say where the bad value is.
std::optional<int64_t> parse_duration_ms(std::string_view text);

// The shortest exact form of a duration: 300000 -> "5m", 1500 -> "1500ms".
std::string format_duration(int64_t duration_ms);

}  // namespace vigil
