#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::connectors {

// Graph's timestamps: "2026-01-13T14:13:32Z", with 0 to 7 fractional digits ("2018-01-09T21:20:02.7215374Z") or a
// numeric offset ("+00:00"). Milliseconds since the Unix epoch, UTC; nullopt when malformed. No locale, no
// allocation: this runs once per record.
std::optional<int64_t> parse_utc_ms(std::string_view text);

// "2026-01-13T14:13:32Z": whole seconds, as Graph's $filter takes them (unquoted).
std::string format_utc_s(int64_t unix_ms);

}  // namespace vigil::connectors
