#pragma once

#include <cstdint>
#include <string>

namespace vigil {

// Appends `2026-11-27T21:21:17.123Z` for a time in milliseconds since the Unix epoch. No locale, no allocation
// beyond the output's growth: this runs once per event.
void append_rfc3339_ms(std::string& out, int64_t unix_ms);

}  // namespace vigil
