#include "time_windows.hpp"

#include "utc_time.hpp"

#include <algorithm>

namespace vigil::connectors {

namespace {

int64_t whole_seconds(int64_t ms) {
    return ms - ((ms % 1000) + 1000) % 1000;
}

}  // namespace

WindowSettings window_settings(const sdk::Config& config) {
    return WindowSettings{config.get_duration_ms("lag"), config.get_duration_ms("overlap"),
                          config.get_duration_ms("backfill"), config.get_duration_ms("chunk")};
}

std::optional<int64_t> checkpoint_time(std::string_view checkpoint) {
    if (checkpoint.empty()) return std::nullopt;
    return parse_utc_ms(checkpoint);
}

std::string checkpoint_text(int64_t window_end_ms) {
    return format_utc_s(window_end_ms);
}

std::optional<Window> range_to_read(std::optional<int64_t> checkpoint_ms, int64_t now_ms,
                                    const WindowSettings& settings) {
    const int64_t end = whole_seconds(now_ms - settings.lag_ms);
    if (checkpoint_ms && *checkpoint_ms >= end) return std::nullopt;  // nothing new since the last window
    const int64_t oldest = now_ms - std::min(settings.backfill_ms, kMaxRetentionMs);
    const int64_t from = whole_seconds(
        std::max(checkpoint_ms ? *checkpoint_ms - settings.overlap_ms : oldest, now_ms - kMaxRetentionMs));
    if (from >= end) return std::nullopt;
    return Window{from, end};
}

WindowCutter::WindowCutter(Window range, int64_t chunk_ms)
    : range_(range),
      from_ms_(range.from_ms),
      chunk_ms_(std::max<int64_t>(chunk_ms, 1000)),
      max_ms_(std::max<int64_t>(chunk_ms_, 86'400'000)),
      length_ms_(chunk_ms_) {}

std::optional<Window> WindowCutter::next() {
    if (from_ms_ >= range_.to_ms) return std::nullopt;
    const int64_t to = std::min(range_.to_ms, std::max(whole_seconds(from_ms_ + length_ms_), from_ms_ + 1000));
    const Window window{from_ms_, to};
    from_ms_ = to;
    return window;
}

void WindowCutter::pages_read(int pages) {
    if (pages <= 1) length_ms_ = std::min(length_ms_ * 2, max_ms_);
    if (pages > kBusyPages) length_ms_ = std::max(length_ms_ / 2, chunk_ms_);
}

}  // namespace vigil::connectors
