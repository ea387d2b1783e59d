// A deterministic test connector: emits events evt-0 .. evt-(total-1) in pages, committing each page with the
// next index as its checkpoint. Options make it misbehave the way real sources do: overlapping re-reads, slow
// pages, a failure mid-run, a hard crash between emit and commit.
#include <vigil/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

class Counter {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_CONNECTOR;
    static constexpr const char* name = "counter";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Test connector: numbered events in pages";
    static constexpr vigil_config_key config_keys[] = {
        vigil::sdk::key("total", VIGIL_VALUE_INT, "100", "events in all", false, 0, 1'000'000'000),
        vigil::sdk::key("page_size", VIGIL_VALUE_INT, "10", "events per commit", false, 1, 100'000),
        vigil::sdk::key("overlap", VIGIL_VALUE_INT, "0", "events of the previous page emitted again", false, 0,
                        100'000),
        vigil::sdk::key("page_delay_ms", VIGIL_VALUE_INT, "0", "sleep before each page"),
        vigil::sdk::key("fail_at", VIGIL_VALUE_INT, "-1", "fail the run when reaching this index (once)"),
        vigil::sdk::key("crash_at", VIGIL_VALUE_INT, "-1", "exit the process after emitting this index, uncommitted"),
        vigil::sdk::key("raw", VIGIL_VALUE_BOOL, "true", "attach a raw record"),
        vigil::sdk::key("prefix", VIGIL_VALUE_STRING, "evt-", "event id prefix"),
    };

    Counter(vigil::sdk::Host host, const vigil::sdk::Config& config)
        : host_(host),
          total_(config.get_int("total")),
          page_size_(config.get_int("page_size")),
          overlap_(config.get_int("overlap")),
          page_delay_ms_(config.get_int("page_delay_ms")),
          fail_at_(config.get_int("fail_at")),
          crash_at_(config.get_int("crash_at")),
          raw_(config.get_bool("raw")),
          prefix_(config.get_string("prefix")) {
        // A check no schema can express: the plugin refuses it when created, and `vigil validate` reports it.
        if (overlap_ > page_size_ * 10) {
            throw vigil::sdk::Error(VIGIL_ERR_INVALID_ARGUMENT, "overlap (" + std::to_string(overlap_) +
                                                                    ") must not exceed ten pages (page_size " +
                                                                    std::to_string(page_size_) + ")");
        }
    }

    vigil_status run() {
        const std::string checkpoint = host_.checkpoint();
        int64_t next = checkpoint.empty() ? 0 : std::stoll(checkpoint);
        std::string id;
        std::string raw;
        while (next < total_) {
            if (host_.cancelled()) return VIGIL_OK;
            if (page_delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(page_delay_ms_));
            const int64_t first = std::max<int64_t>(0, next - overlap_);
            const int64_t end = std::min(total_, next + page_size_);
            for (int64_t n = first; n < end; ++n) {
                if (n == fail_at_ && !failed_once_) {
                    failed_once_ = true;
                    throw vigil::sdk::Error(VIGIL_ERR_UNAVAILABLE, "simulated source failure at " + std::to_string(n));
                }
                id = prefix_ + std::to_string(n);
                vigil::sdk::Event event;
                event.id = id;
                event.time_ms = kBaseTimeMs + n * 1000;
                event.action = "Added";
                event.object_type = "User";
                event.what = id;
                event.who = "admin@contoso.example";
                event.workstation = "203.0.113.7";
                event.status = "success";
                event.details_json = R"([{"name":"n","old":null,"new":1}])";
                if (raw_) {
                    raw = R"({"id":")" + id + R"(","seq":)" + std::to_string(n) + "}";
                    event.raw_json = raw;
                }
                if (const vigil_status status = host_.emit(event); status != VIGIL_OK) return status;
                if (n == crash_at_) std::_Exit(3);
            }
            if (const vigil_status status = host_.commit(std::to_string(end)); status != VIGIL_OK) return status;
            next = end;
        }
        return VIGIL_OK;
    }

private:
    static constexpr int64_t kBaseTimeMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
    vigil::sdk::Host host_;
    int64_t total_, page_size_, overlap_, page_delay_ms_, fail_at_, crash_at_;
    bool raw_;
    std::string prefix_;
    bool failed_once_ = false;
};

VIGIL_PLUGIN(Counter)
