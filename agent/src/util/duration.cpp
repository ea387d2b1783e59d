#include "util/duration.hpp"

#include <array>
#include <limits>
#include <utility>

namespace vigil {

namespace {
constexpr std::array<std::pair<std::string_view, int64_t>, 5> kUnits{{
    {"ms", 1},
    {"s", 1000},
    {"m", 60'000},
    {"h", 3'600'000},
    {"d", 86'400'000},
}};
}  // namespace

std::optional<int64_t> parse_duration_ms(std::string_view text) {
    size_t digits = 0;
    int64_t number = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
        if (number > std::numeric_limits<int64_t>::max() / 10) return std::nullopt;
        number = number * 10 + (text[digits] - '0');
        ++digits;
    }
    if (digits == 0) return std::nullopt;
    const std::string_view unit = text.substr(digits);
    for (const auto& [name, factor] : kUnits) {
        if (unit == name) {
            if (number > std::numeric_limits<int64_t>::max() / factor) return std::nullopt;
            return number * factor;
        }
    }
    return std::nullopt;
}

std::string format_duration(int64_t duration_ms) {
    for (auto it = kUnits.rbegin(); it != kUnits.rend(); ++it) {
        if (duration_ms != 0 && duration_ms % it->second == 0) {
            return std::to_string(duration_ms / it->second) + std::string(it->first);
        }
    }
    return std::to_string(duration_ms) + "ms";
}

}  // namespace vigil
