#include "util/duration.hpp"
#include "util/rfc3339.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(Duration, ParsesEveryUnit) {
    EXPECT_EQ(parse_duration_ms("250ms"), 250);
    EXPECT_EQ(parse_duration_ms("30s"), 30'000);
    EXPECT_EQ(parse_duration_ms("5m"), 300'000);
    EXPECT_EQ(parse_duration_ms("24h"), 86'400'000);
    EXPECT_EQ(parse_duration_ms("7d"), 604'800'000);
    EXPECT_EQ(parse_duration_ms("0s"), 0);
}

TEST(Duration, RejectsWhatIsNotADuration) {
    for (const char* bad : {"", "5", "m", "5 m", "-5m", "1.5h", "5min", "5M", "99999999999999999999d", "5mm"}) {
        EXPECT_FALSE(parse_duration_ms(bad).has_value()) << bad;
    }
}

TEST(Duration, FormatsTheShortestExactForm) {
    EXPECT_EQ(format_duration(300'000), "5m");
    EXPECT_EQ(format_duration(90'000), "90s");
    EXPECT_EQ(format_duration(1500), "1500ms");
    EXPECT_EQ(format_duration(604'800'000), "7d");
}

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
    std::string out;
    append_rfc3339_ms(out, 0);
    EXPECT_EQ(out, "1970-01-01T00:00:00.000Z");
    out.clear();
    append_rfc3339_ms(out, 1'767'225'600'123);
    EXPECT_EQ(out, "2026-01-01T00:00:00.123Z");
    out.clear();
    append_rfc3339_ms(out, 951'782'400'000);  // a leap day
    EXPECT_EQ(out, "2000-02-29T00:00:00.000Z");
    out.clear();
    append_rfc3339_ms(out, -1);
    EXPECT_EQ(out, "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace vigil
