#include "util/crc32c.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(Crc32c, MatchesTheStandardCheckValues) {
    EXPECT_EQ(crc32c("123456789"), 0xE3069283u);  // the catalogue's check value for CRC-32C
    EXPECT_EQ(crc32c(""), 0u);
    EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720, 32 bytes of zeros
}

TEST(Crc32c, ContinuesAcrossPieces) {
    const std::string text = "the quick brown fox jumps over the lazy dog, twice over";
    EXPECT_EQ(crc32c(text.substr(13), crc32c(text.substr(0, 13))), crc32c(text));
}

}  // namespace
}  // namespace vigil
