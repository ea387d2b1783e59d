#include "crypto/sha256.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <stdexcept>

namespace vigil::crypto {

std::string sha256_hex(std::string_view text, size_t bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < std::min<size_t>(bytes, size); ++i) {
        out.push_back(kHex[digest[i] >> 4]);
        out.push_back(kHex[digest[i] & 0xF]);
    }
    return out;
}

}  // namespace vigil::crypto
