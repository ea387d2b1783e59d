#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::crypto {

// The first `bytes` bytes (at most 32) of the SHA-256 of text, as lower-case hex: stable ids and file names.
std::string sha256_hex(std::string_view text, size_t bytes = 32);

}  // namespace vigil::crypto
