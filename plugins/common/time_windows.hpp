#pragma once

#include <vigil/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::connectors {

// How a time-filtered connector (Activity, Logons) chooses what to read. Graph makes records visible minutes after
// they happen (P95 2 min, P99 5 min, documented), sometimes later, and lists some twice.
struct WindowSettings {
    int64_t lag_ms = 0;       // read up to now - lag: most records of the window are visible by then
    int64_t overlap_ms = 0;   // re-read this much before the checkpoint: records that became visible late
    int64_t backfill_ms = 0;  // how far back the first run reaches
    int64_t chunk_ms = 0;     // the first and shortest window read per checkpoint (see WindowCutter)
};

// The settings every time-windowed connector declares (docs/connectors.md says why these defaults); `chunk`'s
// default differs by log, so each connector declares it: window_chunk_key("6h").
namespace window_keys {
inline constexpr int64_t kMinute = 60'000;
inline constexpr int64_t kDay = 1'440 * kMinute;
inline constexpr vigil_config_key kLag = sdk::key(
    "lag", VIGIL_VALUE_DURATION, "2m", "read up to this long before now (Graph's P95 latency)", false, 0, 60 * kMinute);
inline constexpr vigil_config_key kOverlap = sdk::key(
    "overlap", VIGIL_VALUE_DURATION, "10m",
    "re-read this much before the last checkpoint, for records Graph shows late (twice its P99)", false, kMinute, kDay);
inline constexpr vigil_config_key kBackfill =
    sdk::key("backfill", VIGIL_VALUE_DURATION, "7d", "how far back the first run reaches (Graph keeps 7 or 30 days)",
             false, 60 * kMinute, 30 * kDay);
inline constexpr vigil_config_key kPageSize =
    sdk::key("page_size", VIGIL_VALUE_INT, "1000", "records per Graph page ($top)", false, 10, 1000);
constexpr vigil_config_key chunk(const char* default_value) {
    return sdk::key("chunk", VIGIL_VALUE_DURATION, default_value,
                    "time read per checkpoint at first; quiet windows make the next ones longer", false, kMinute,
                    7 * kDay);
}
}  // namespace window_keys

// Graph keeps audit logs and sign-ins 30 days at most (7 without P1/P2): reading further back finds nothing.
constexpr int64_t kMaxRetentionMs = 30LL * 86'400'000;

// A closed time range [from, to], whole seconds, as the $filter's ge and le take it.
struct Window {
    int64_t from_ms = 0;
    int64_t to_ms = 0;
};

// lag, overlap, backfill and chunk from a connector's validated configuration.
WindowSettings window_settings(const sdk::Config& config);

// The checkpoint is the end of the last window read in full ("2026-11-27T10:00:00Z"). nullopt for a first run
// (empty) or a checkpoint that is not a time (a person's edit): both read from now - backfill.
std::optional<int64_t> checkpoint_time(std::string_view checkpoint);
std::string checkpoint_text(int64_t window_end_ms);

// The time this run reads, [from, to]: from checkpoint - overlap (first run: now - backfill; never further back than
// Graph keeps) to now - lag. nullopt when there is nothing new to read.
std::optional<Window> range_to_read(std::optional<int64_t> checkpoint_ms, int64_t now_ms,
                                    const WindowSettings& settings);

// Cuts a run's range into the windows each read in full before the checkpoint moves to their end. Graph lists the
// newest records first, so a window cannot be checkpointed part way: its length is what a crash re-reads. The
// first window lasts `chunk`; after a window that fitted in one page the next lasts twice as long (at most a day,
// or chunk if longer), after one of more than kBusyPages pages half as long (never less than chunk). A quiet
// tenant's first week is then about a dozen requests, not one per chunk (168 for sign-ins at 1 h), under the audit
// APIs' 5 requests per 10 s; a busy tenant keeps short windows.
class WindowCutter {
public:
    static constexpr int kBusyPages = 4;

    WindowCutter(Window range, int64_t chunk_ms);
    // The next window, oldest first; nullopt once the range is covered.
    std::optional<Window> next();
    // How many pages the window next() returned took: sets the length of the one after it.
    void pages_read(int pages);

private:
    Window range_;
    int64_t from_ms_;
    int64_t chunk_ms_;
    int64_t max_ms_;
    int64_t length_ms_;
};

}  // namespace vigil::connectors
