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

std::vector<Window> windows_to_read(std::optional<int64_t> checkpoint_ms, int64_t now_ms,
                                    const WindowSettings& settings) {
    const int64_t end = whole_seconds(now_ms - settings.lag_ms);
    const int64_t oldest = now_ms - std::min(settings.backfill_ms, kMaxRetentionMs);
    int64_t from = checkpoint_ms ? *checkpoint_ms - settings.overlap_ms : oldest;
    from = whole_seconds(std::max(from, now_ms - kMaxRetentionMs));
    std::vector<Window> windows;
    if (checkpoint_ms && *checkpoint_ms >= end) return windows;  // nothing new since the last window
    const int64_t chunk = std::max<int64_t>(settings.chunk_ms, 1000);
    while (from < end) {
        const int64_t to = std::min(end, whole_seconds(from + chunk));
        windows.push_back(Window{from, to});
        from = to;
    }
    return windows;
}

}  // namespace vigil::connectors
