#pragma once

#include <cstdint>
#include <string_view>

namespace vigil {

// CRC-32C (Castagnoli) of bytes, continuing from crc (0 to start). Uses the SSE4.2 instruction when the CPU has it
// (about 8 bytes a cycle: negligible on the spool's hot path), a table otherwise.
uint32_t crc32c(std::string_view bytes, uint32_t crc = 0);

}  // namespace vigil
