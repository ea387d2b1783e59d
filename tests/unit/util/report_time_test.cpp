#include "util/report_time.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

constexpr int64_t kNow = 1'795'000'000'000;

TEST(ReportTime, DatesTimesAndOffsets) {
    EXPECT_EQ(parse_report_time("2026-01-01", kNow), int64_t{1'767'225'600'000});
    EXPECT_EQ(parse_report_time("2026-01-01T00:00:00Z", kNow), int64_t{1'767'225'600'000});
    EXPECT_EQ(parse_report_time("2026-01-01T10:30", kNow), int64_t{1'767'225'600'000 + 37'800'000});
    EXPECT_EQ(parse_report_time("2026-01-01T02:00:00.250+02:00", kNow), int64_t{1'767'225'600'250});
    EXPECT_EQ(parse_report_time("2025-12-31T19:00:00-05:00", kNow), int64_t{1'767'225'600'000});
    EXPECT_EQ(parse_report_time("2024-02-29", kNow), int64_t{1'709'164'800'000}) << "a leap day";
}

TEST(ReportTime, RelativeDurationsCountBackFromNow) {
    EXPECT_EQ(parse_report_time("24h", kNow), kNow - 86'400'000);
    EXPECT_EQ(parse_report_time("7d", kNow), kNow - 7 * 86'400'000);
}

TEST(ReportTime, AnythingElseIsRefused) {
    for (const char* bad : {"", "yesterday", "2026-13-01", "2026-01-01T25:00", "2026-1-1", "2026-01-01T10:30:00X",
                            "2026-01-01T10:30:00.", "-7d"}) {
        EXPECT_FALSE(parse_report_time(bad, kNow)) << bad;
    }
}

}  // namespace
}  // namespace vigil
