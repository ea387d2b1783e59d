// The run loop of the time-windowed connectors against a scripted host: page-by-page storing, the checkpoint per
// window, and an expired nextLink restarting its window by time.
#include "window_collector.hpp"

#include "support/scripted_host.hpp"

#include <gtest/gtest.h>

namespace vigil::connectors {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kNow = 1'795'000'000'000;
const WindowSettings kSettings{2 * kMinute, 10 * kMinute, 30 * kMinute, 60 * kMinute};

class WindowCollectorTest : public testing::Test {
protected:
    void SetUp() override {
        host_.now = kNow;
        host_.stored_checkpoint = checkpoint_text(kNow - 20 * kMinute);  // one window: [-30m, -2m]
    }
    // Runs the collector; each page's text is recorded as its "records".
    void run() {
        WindowCollector collector(host_.host(), kSettings);
        collector.run([](const Window& window) { return "/listing?from=" + std::to_string(window.from_ms); },
                      [&](std::string_view page, std::string&) {
                          pages_.emplace_back(page);
                          return VIGIL_OK;
                      });
    }

    test::ScriptedHost host_;
    std::vector<std::string> pages_;
};

TEST_F(WindowCollectorTest, StoresEachPageThenMovesTheCheckpointToTheWindowsEnd) {
    host_.answer("/listing", {"p1", "p2"});
    run();
    EXPECT_EQ(pages_, (std::vector<std::string>{"p1", "p2"}));
    EXPECT_EQ(host_.commits, (std::vector<std::string>{"", "", checkpoint_text(kNow - 2 * kMinute)}));
}

TEST_F(WindowCollectorTest, AnExpiredNextLinkReadsTheWindowAgainFromItsStart) {
    host_.fail("/listing", VIGIL_ERR_EXPIRED, "the nextLink expired", {"p1"});
    host_.answer("/listing", {"p1", "p2"});
    run();
    ASSERT_EQ(host_.requests.size(), 2u);
    EXPECT_EQ(host_.requests[0], host_.requests[1]) << "the same window, by time: never the dead nextLink";
    EXPECT_EQ(pages_, (std::vector<std::string>{"p1", "p1", "p2"})) << "the host's de-duplication drops p1's repeat";
    EXPECT_EQ(host_.commits.back(), checkpoint_text(kNow - 2 * kMinute));
    EXPECT_TRUE(host_.logged_containing("reading that window again"));
}

TEST_F(WindowCollectorTest, AWindowThatKeepsExpiringFailsTheRunWithoutMovingTheCheckpoint) {
    const std::string before = host_.stored_checkpoint;
    for (int i = 0; i < 4; ++i) host_.fail("/listing", VIGIL_ERR_EXPIRED, "the nextLink expired", {"p1"});
    try {
        run();
        FAIL() << "four expiries in a row must end the run";
    } catch (const sdk::Error& error) {
        EXPECT_EQ(error.status(), VIGIL_ERR_EXPIRED);
        EXPECT_NE(std::string(error.what()).find("the nextLink expired"), std::string::npos) << error.what();
    }
    EXPECT_EQ(host_.requests.size(), 4u) << "the first reading and three restarts";
    EXPECT_EQ(host_.stored_checkpoint, before);
}

TEST_F(WindowCollectorTest, ADeniedWindowKeepsTheWindowsReadBeforeIt) {
    host_.stored_checkpoint = checkpoint_text(kNow - 110 * kMinute);  // windows [-120m, -60m] and [-60m, -2m]
    host_.answer("/listing", {"p1"});
    host_.fail("/listing", VIGIL_ERR_DENIED, "403 Authorization_RequestDenied");
    EXPECT_THROW(run(), sdk::Error);
    EXPECT_EQ(host_.stored_checkpoint, checkpoint_text(kNow - 60 * kMinute)) << "the first window stays stored";
}

TEST_F(WindowCollectorTest, AQuietFirstWeekTakesAFewWindowsEachCheckpointed) {
    host_.stored_checkpoint.clear();  // a first run: a week back
    for (int i = 0; i < 20; ++i) host_.answer("/listing", {"one page"});
    WindowCollector collector(host_.host(),
                              WindowSettings{2 * kMinute, 10 * kMinute, 7 * 1'440 * kMinute, kMinute * 60});
    collector.run([](const Window& window) { return "/listing?from=" + std::to_string(window.from_ms); },
                  [](std::string_view, std::string&) { return VIGIL_OK; });
    EXPECT_EQ(host_.requests.size(), 11u) << "1, 2, 4, 8, 16 hours, then a day at a time";
    EXPECT_EQ(host_.stored_checkpoint, checkpoint_text(kNow - 2 * kMinute));
    EXPECT_EQ(host_.commits.size(), 22u) << "each window: its page, then its checkpoint";
}

}  // namespace
}  // namespace vigil::connectors
