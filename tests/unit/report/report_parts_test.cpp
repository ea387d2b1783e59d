// The pieces reports share: time buckets, details for people, rankings.
#include "report/report_parts.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

using namespace report_parts;

constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kMonday = 1'794'787'200'000;  // 2026-11-16T00:00:00Z, a Monday

std::vector<std::string> labels(const ReportChart& chart) {
    std::vector<std::string> out;
    for (const auto& bar : chart.bars) out.push_back(bar.label);
    return out;
}

TEST(Timeline, HoursForADayDaysForAMonthWeeksBeyond) {
    Timeline day(kMonday + 90 * 60'000, kMonday + 4 * kHour);  // 01:30 to 04:00
    day.add(kMonday + 2 * kHour + 5);
    day.add(kMonday + 2 * kHour + 7);
    day.add(kMonday - 1);  // before the range: not counted
    const ReportChart hours = day.chart("k", "t", "events");
    EXPECT_EQ(labels(hours), (std::vector<std::string>{"2026-11-16 01:00", "2026-11-16 02:00", "2026-11-16 03:00"}));
    EXPECT_EQ(hours.bars[1].value, 2);
    EXPECT_EQ(hours.bars[0].value + hours.bars[2].value, 0);

    const ReportChart days = Timeline(kMonday, kMonday + 7 * kDay).chart("k", "t", "events");
    EXPECT_EQ(days.bars.size(), 7u);
    EXPECT_EQ(days.bars.front().label, "2026-11-16");

    Timeline season(kMonday + 3 * kDay, kMonday + 90 * kDay);
    season.add(kMonday + 3 * kDay);
    const ReportChart weeks = season.chart("k", "t", "events");
    EXPECT_EQ(weeks.bars.front().label, "2026-11-16") << "weeks start on Monday";
    EXPECT_EQ(weeks.bars.front().value, 1);
    EXPECT_EQ(weeks.bars.size(), 13u);
}

TEST(DetailsText, ChangesObjectsAndText) {
    EXPECT_EQ(details_text(R"([{"name":"Activity","old":null,"new":"Add user"},{"name":"Dept","old":"A","new":"B"},)"
                           R"({"name":"Tags","old":["x"],"new":null},{"name":"Key","value":"v"}])"),
              "Activity: Add user; Dept: A -> B; Tags: [\"x\"] -> (none); Key: v");
    EXPECT_EQ(details_text(R"({"application":"Outlook","location":{"city":"Lyon","country":"FR"},"ok":true,"n":null})"),
              "application=Outlook, location.city=Lyon, location.country=FR, ok=true");
    EXPECT_EQ(details_text("not json"), "not json");
    EXPECT_EQ(details_text("null"), "");
}

TEST(Tally, RanksByCountThenValue) {
    Tally tally;
    for (const char* value : {"b", "a", "c", "b", "c", "c"}) tally.add(value);
    EXPECT_EQ(tally.ranked(2), (std::vector<std::pair<std::string, size_t>>{{"c", 3}, {"b", 2}}));
    EXPECT_EQ(tally.ranked(10).back(), (std::pair<std::string, size_t>{"a", 1}));
}

}  // namespace
}  // namespace vigil
