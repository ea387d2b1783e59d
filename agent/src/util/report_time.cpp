#include "util/report_time.hpp"

#include "util/duration.hpp"

#include <cctype>

namespace vigil {

namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

// Reads exactly `width` digits at text[at]; false when they are not there.
bool digits(std::string_view text, size_t at, size_t width, int64_t& out) {
    if (at + width > text.size()) return false;
    out = 0;
    for (size_t i = at; i < at + width; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
        out = out * 10 + (text[i] - '0');
    }
    return true;
}

std::optional<int64_t> parse_iso(std::string_view text) {
    int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
    if (!digits(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !digits(text, 5, 2, month) ||
        text[7] != '-' || !digits(text, 8, 2, day) || month < 1 || month > 12 || day < 1 || day > 31) {
        return std::nullopt;
    }
    size_t at = 10;
    int64_t offset_minutes = 0;
    if (at < text.size()) {
        if ((text[at] != 'T' && text[at] != ' ') || !digits(text, at + 1, 2, hour) || text.size() < at + 6 ||
            text[at + 3] != ':' || !digits(text, at + 4, 2, minute) || hour > 23 || minute > 59) {
            return std::nullopt;
        }
        at += 6;
        if (at < text.size() && text[at] == ':') {
            if (!digits(text, at + 1, 2, second) || second > 60) return std::nullopt;
            at += 3;
            if (at < text.size() && text[at] == '.') {
                size_t fraction = 0;
                for (++at; at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])); ++at, ++fraction) {
                    if (fraction < 3) ms = ms * 10 + (text[at] - '0');
                }
                if (fraction == 0) return std::nullopt;
                for (; fraction < 3; ++fraction) ms *= 10;
            }
        }
        if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
            ++at;
        } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
            int64_t offset_hours = 0, offset_rest = 0;
            if (!digits(text, at + 1, 2, offset_hours) || text.size() < at + 6 || text[at + 3] != ':' ||
                !digits(text, at + 4, 2, offset_rest)) {
                return std::nullopt;
            }
            offset_minutes = (offset_hours * 60 + offset_rest) * (text[at] == '-' ? -1 : 1);
            at += 6;
        }
    }
    if (at != text.size()) return std::nullopt;
    const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return ((days * 24 + hour) * 60 + minute - offset_minutes) * 60'000 + second * 1000 + ms;
}

}  // namespace

std::optional<int64_t> parse_report_time(std::string_view text, int64_t now_ms) {
    if (const auto back = parse_duration_ms(text)) return now_ms - *back;
    return parse_iso(text);
}

}  // namespace vigil
