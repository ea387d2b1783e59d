// What a run reads: from the checkpoint minus the overlap (or the backfill on a first run) to now minus the lag,
// in chunks, never further back than Graph keeps.
#include "time_windows.hpp"

#include <gtest/gtest.h>

namespace vigil::connectors {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kNow = 1'795'000'000'000 + 437;  // not on a second

const WindowSettings kSettings{2 * kMinute, 10 * kMinute, 7 * kDay, 6 * kHour};

TEST(TimeWindows, AFirstRunReachesBackTheBackfillInChunks) {
    const auto windows = windows_to_read(std::nullopt, kNow, kSettings);
    ASSERT_EQ(windows.size(), 28u) << "7 days less the lag in 6 h chunks, the last a short one";
    EXPECT_EQ(windows.front().from_ms, kNow - 437 - 7 * kDay);
    EXPECT_EQ(windows.back().to_ms, kNow - 437 - 2 * kMinute) << "whole seconds, lag before now";
    for (size_t i = 1; i < windows.size(); ++i) {
        EXPECT_EQ(windows[i].from_ms, windows[i - 1].to_ms) << "contiguous";
        EXPECT_LE(windows[i].to_ms - windows[i].from_ms, 6 * kHour);
    }
}

TEST(TimeWindows, LaterRunsStartTheOverlapBeforeTheCheckpoint) {
    const int64_t checkpoint = kNow - 437 - 7 * kMinute;
    const auto windows = windows_to_read(checkpoint, kNow, kSettings);
    ASSERT_EQ(windows.size(), 1u);
    EXPECT_EQ(windows[0].from_ms, checkpoint - 10 * kMinute);
    EXPECT_EQ(windows[0].to_ms, kNow - 437 - 2 * kMinute);
}

TEST(TimeWindows, NothingNewMeansNoWindow) {
    EXPECT_TRUE(windows_to_read(kNow - 437 - 2 * kMinute, kNow, kSettings).empty());
    EXPECT_TRUE(windows_to_read(kNow, kNow, kSettings).empty()) << "a checkpoint ahead of now - lag";
}

TEST(TimeWindows, NeverReadsFurtherBackThanGraphKeeps) {
    const auto after_an_outage = windows_to_read(kNow - 90 * kDay, kNow, kSettings);
    ASSERT_FALSE(after_an_outage.empty());
    EXPECT_EQ(after_an_outage.front().from_ms, kNow - 437 - kMaxRetentionMs);
}

TEST(TimeWindows, CheckpointsAreTimesAndAnythingElseStartsOver) {
    EXPECT_EQ(checkpoint_text(1'767'225'600'000), "2026-01-01T00:00:00Z");
    EXPECT_EQ(checkpoint_time("2026-01-01T00:00:00Z"), int64_t{1'767'225'600'000});
    EXPECT_FALSE(checkpoint_time(""));
    EXPECT_FALSE(checkpoint_time("page 7"));
}

}  // namespace
}  // namespace vigil::connectors
