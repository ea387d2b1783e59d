// Graph's timestamps in every published form, and the whole-second form $filter takes.
#include "utc_time.hpp"

#include <gtest/gtest.h>

namespace vigil::connectors {
namespace {

constexpr int64_t k2026 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

TEST(UtcTime, ParsesGraphsForms) {
    EXPECT_EQ(parse_utc_ms("2026-01-01T00:00:00Z"), k2026);
    EXPECT_EQ(parse_utc_ms("2026-01-01T00:00:00.5Z"), k2026 + 500);
    EXPECT_EQ(parse_utc_ms("2018-01-09T21:20:02.7215374Z"), int64_t{1'515'532'802'721}) << "seven digits";
    EXPECT_EQ(parse_utc_ms("2026-01-01T01:00:00+01:00"), k2026);
    EXPECT_EQ(parse_utc_ms("2025-12-31T23:00:00-01:00"), k2026);
    EXPECT_EQ(parse_utc_ms("2024-02-29T12:00:00Z"), int64_t{1'709'208'000'000}) << "a leap day";
    EXPECT_EQ(parse_utc_ms("0001-01-01T00:00:00Z"), int64_t{-62'135'596'800'000}) << "Graph's 'never'";
}

TEST(UtcTime, RefusesWhatIsNotATime) {
    for (const char* text :
         {"", "2026-01-01", "2026-01-01T00:00:00", "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z",
          "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk", "yesterday", "2026-01-01 00:00:00Z"}) {
        EXPECT_FALSE(parse_utc_ms(text)) << text;
    }
}

TEST(UtcTime, FormatsWholeSecondsAndRoundTrips) {
    EXPECT_EQ(format_utc_s(k2026), "2026-01-01T00:00:00Z");
    EXPECT_EQ(format_utc_s(k2026 + 999), "2026-01-01T00:00:00Z") << "truncated, not rounded";
    EXPECT_EQ(format_utc_s(k2026 - 1), "2025-12-31T23:59:59Z");
    for (int64_t ms = k2026 - 400LL * 86'400'000; ms < k2026 + 400LL * 86'400'000; ms += 86'400'000 + 3'723'000) {
        EXPECT_EQ(parse_utc_ms(format_utc_s(ms)), ms - ms % 1000) << ms;
    }
}

}  // namespace
}  // namespace vigil::connectors
