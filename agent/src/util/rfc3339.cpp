#include "util/rfc3339.hpp"

namespace vigil {

namespace {

// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days algorithm).
void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day) {
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto day_of_era = static_cast<unsigned>(days - era * 146097);
    const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const unsigned month_index = (5 * day_of_year + 2) / 153;
    day = day_of_year - (153 * month_index + 2) / 5 + 1;
    month = month_index < 10 ? month_index + 3 : month_index - 9;
    year = static_cast<int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
}

void append_digits(std::string& out, int64_t value, int width) {
    char buffer[20];
    for (int i = width - 1; i >= 0; --i) {
        buffer[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(buffer, static_cast<size_t>(width));
}

}  // namespace

void append_rfc3339_ms(std::string& out, int64_t unix_ms) {
    int64_t days = unix_ms / 86'400'000;
    int64_t ms_of_day = unix_ms % 86'400'000;
    if (ms_of_day < 0) {
        ms_of_day += 86'400'000;
        --days;
    }
    int64_t year = 0;
    unsigned month = 0;
    unsigned day = 0;
    civil_from_days(days, year, month, day);
    append_digits(out, year, 4);
    out.push_back('-');
    append_digits(out, month, 2);
    out.push_back('-');
    append_digits(out, day, 2);
    out.push_back('T');
    append_digits(out, ms_of_day / 3'600'000, 2);
    out.push_back(':');
    append_digits(out, ms_of_day / 60'000 % 60, 2);
    out.push_back(':');
    append_digits(out, ms_of_day / 1000 % 60, 2);
    out.push_back('.');
    append_digits(out, ms_of_day % 1000, 3);
    out.push_back('Z');
}

}  // namespace vigil
