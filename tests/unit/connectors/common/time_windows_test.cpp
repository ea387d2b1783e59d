// What a run reads: from the checkpoint minus the overlap (or the backfill on a first run) to now minus the lag,
// in chunks, never further back than Graph keeps.
#include "time_windows.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <vector>

namespace vigil::connectors {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kNow = 1'795'000'000'000 + 437;  // not on a second

const WindowSettings kSettings{2 * kMinute, 10 * kMinute, 7 * kDay, 6 * kHour};

TEST(TimeWindows, AFirstRunReachesBackTheBackfill) {
    const auto range = range_to_read(std::nullopt, kNow, kSettings);
    ASSERT_TRUE(range);
    EXPECT_EQ(range->from_ms, kNow - 437 - 7 * kDay);
    EXPECT_EQ(range->to_ms, kNow - 437 - 2 * kMinute) << "whole seconds, lag before now";
}

TEST(TimeWindows, LaterRunsStartTheOverlapBeforeTheCheckpoint) {
    const int64_t checkpoint = kNow - 437 - 7 * kMinute;
    const auto range = range_to_read(checkpoint, kNow, kSettings);
    ASSERT_TRUE(range);
    EXPECT_EQ(range->from_ms, checkpoint - 10 * kMinute);
    EXPECT_EQ(range->to_ms, kNow - 437 - 2 * kMinute);
}

TEST(TimeWindows, NothingNewMeansNothingToRead) {
    EXPECT_FALSE(range_to_read(kNow - 437 - 2 * kMinute, kNow, kSettings));
    EXPECT_FALSE(range_to_read(kNow, kNow, kSettings)) << "a checkpoint ahead of now - lag";
}

TEST(TimeWindows, NeverReadsFurtherBackThanGraphKeeps) {
    const auto after_an_outage = range_to_read(kNow - 90 * kDay, kNow, kSettings);
    ASSERT_TRUE(after_an_outage);
    EXPECT_EQ(after_an_outage->from_ms, kNow - 437 - kMaxRetentionMs);
}

// Cuts [0, range) with the pages each window took coming from pages_for(window index); returns the lengths.
std::vector<int64_t> cut(int64_t range_ms, int64_t chunk_ms, const std::function<int(size_t)>& pages_for) {
    WindowCutter cutter(Window{0, range_ms}, chunk_ms);
    std::vector<int64_t> lengths;
    int64_t expected_from = 0;
    while (const auto window = cutter.next()) {
        EXPECT_EQ(window->from_ms, expected_from) << "contiguous";
        expected_from = window->to_ms;
        lengths.push_back(window->to_ms - window->from_ms);
        cutter.pages_read(pages_for(lengths.size() - 1));
    }
    EXPECT_EQ(expected_from, range_ms) << "the whole range";
    return lengths;
}

TEST(WindowCutter, QuietWindowsDoubleUpToADay) {
    const auto lengths = cut(7 * kDay, kHour, [](size_t) { return 1; });
    const std::vector<int64_t> expected{kHour, 2 * kHour, 4 * kHour, 8 * kHour, 16 * kHour, kDay,
                                        kDay,  kDay,      kDay,      kDay,      17 * kHour};
    EXPECT_EQ(lengths, expected) << "a quiet week of sign-ins: 11 requests, not 168";
}

TEST(WindowCutter, BusyWindowsHalveBackDownToTheChunk) {
    // Quiet for three windows (1, 2, 4 h), then every window takes ten pages.
    const auto lengths = cut(kDay, kHour, [](size_t index) { return index < 3 ? 1 : 10; });
    ASSERT_GE(lengths.size(), 6u);
    EXPECT_EQ(lengths[3], 8 * kHour);
    EXPECT_EQ(lengths[4], 4 * kHour);
    EXPECT_EQ(lengths[5], 2 * kHour);
    for (size_t i = 6; i < lengths.size(); ++i)
        EXPECT_LE(lengths[i], kHour) << "never below the chunk, except the tail";
}

TEST(WindowCutter, AFewPagesKeepTheLength) {
    const auto lengths = cut(10 * kHour, kHour, [](size_t) { return 3; });
    EXPECT_EQ(lengths, std::vector<int64_t>(10, kHour));
}

TEST(WindowCutter, AChunkLongerThanADayIsKeptAsTheLongest) {
    const auto lengths = cut(7 * kDay, 2 * kDay, [](size_t) { return 0; });
    EXPECT_EQ(lengths, (std::vector<int64_t>{2 * kDay, 2 * kDay, 2 * kDay, kDay}));
}

TEST(TimeWindows, CheckpointsAreTimesAndAnythingElseStartsOver) {
    EXPECT_EQ(checkpoint_text(1'767'225'600'000), "2026-01-01T00:00:00Z");
    EXPECT_EQ(checkpoint_time("2026-01-01T00:00:00Z"), int64_t{1'767'225'600'000});
    EXPECT_FALSE(checkpoint_time(""));
    EXPECT_FALSE(checkpoint_time("page 7"));
}

}  // namespace
}  // namespace vigil::connectors
