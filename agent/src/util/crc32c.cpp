#include "util/crc32c.hpp"

#include <array>
#include <cstring>

namespace vigil {

namespace {

constexpr uint32_t kPolynomial = 0x82F63B78;  // reflected Castagnoli polynomial

constexpr std::array<uint32_t, 256> make_table() {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t value = i;
        for (int bit = 0; bit < 8; ++bit) value = (value >> 1) ^ ((value & 1u) ? kPolynomial : 0u);
        table[i] = value;
    }
    return table;
}

constexpr std::array<uint32_t, 256> kTable = make_table();

uint32_t crc32c_table(const unsigned char* data, size_t size, uint32_t crc) {
    for (size_t i = 0; i < size; ++i) crc = kTable[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(const unsigned char* data, size_t size, uint32_t crc) {
    uint64_t value = crc;
    while (size >= 8) {
        uint64_t word;
        std::memcpy(&word, data, 8);
        value = __builtin_ia32_crc32di(value, word);
        data += 8;
        size -= 8;
    }
    auto narrow = static_cast<uint32_t>(value);
    while (size-- > 0) narrow = __builtin_ia32_crc32qi(narrow, *data++);
    return narrow;
}
#endif

}  // namespace

uint32_t crc32c(std::string_view bytes, uint32_t crc) {
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    crc = ~crc;
#if defined(__x86_64__)
    static const bool has_sse42 = __builtin_cpu_supports("sse4.2");
    crc = has_sse42 ? crc32c_sse42(data, bytes.size(), crc) : crc32c_table(data, bytes.size(), crc);
#else
    crc = crc32c_table(data, bytes.size(), crc);
#endif
    return ~crc;
}

}  // namespace vigil
