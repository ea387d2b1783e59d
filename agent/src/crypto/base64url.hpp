#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::crypto {

// RFC 4648 section 5, without padding (as JWTs and x5t thumbprints require).
std::string base64url_encode(std::string_view bytes);
// Accepts padded or unpadded input; nullopt on a character outside the alphabet.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace vigil::crypto
