// A test connector that reads one Graph listing through the host's graph_get and emits every record's id: the
// plugin-side view of authentication, paging, throttling and retries, all of which the host does. With `snapshot`,
// the run is also an (empty) state snapshot, as a state connector's would be.
#include <vigil/plugin.hpp>

#include <simdjson.h>

#include <ctime>
#include <string>

namespace {

// "2026-01-01T00:00:05Z" (or with fractional seconds) to milliseconds since the epoch; 0 when unreadable.
int64_t parse_time_ms(std::string_view text) {
    std::tm parts{};
    if (text.size() < 19 ||
        std::sscanf(std::string(text.substr(0, 19)).c_str(), "%d-%d-%dT%d:%d:%d", &parts.tm_year, &parts.tm_mon,
                    &parts.tm_mday, &parts.tm_hour, &parts.tm_min, &parts.tm_sec) != 6) {
        return 0;
    }
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return static_cast<int64_t>(timegm(&parts)) * 1000;
}

}  // namespace

class GraphProbe {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_CONNECTOR;
    static constexpr const char* name = "graph_probe";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Test connector: emits the ids of one Graph listing";
    static constexpr const char* graph_probes[] = {"/v1.0/auditLogs/directoryAudits?$top=1"};
    static constexpr vigil_config_key config_keys[] = {
        vigil::sdk::key("path", VIGIL_VALUE_STRING, nullptr, "the Graph path to list", true),
        vigil::sdk::key("snapshot", VIGIL_VALUE_BOOL, "false", "open and finish a state snapshot around the listing"),
    };

    GraphProbe(vigil::sdk::Host host, const vigil::sdk::Config& config)
        : host_(host), path_(config.get_string("path")), snapshot_(config.get_bool("snapshot")) {}

    vigil_status run() {
        if (snapshot_) {
            if (const vigil_status status = host_.state_begin(host_.now_ms(), ""); status != VIGIL_OK) return status;
        }
        std::string error;
        simdjson::ondemand::parser parser;
        vigil_status emitted = VIGIL_OK;
        const vigil_status status = host_.graph_get(
            path_,
            [&](std::string_view page) {
                const simdjson::padded_string padded(page);
                simdjson::ondemand::document document = parser.iterate(padded);
                for (auto record : document["value"].get_array()) {
                    const std::string_view id = record["id"].get_string();
                    const int64_t time_ms = parse_time_ms(record["activityDateTime"].get_string().value());
                    vigil::sdk::Event event;
                    event.id = id;
                    event.time_ms = time_ms;
                    event.action = "Listed";
                    event.object_type = "AuditRecord";
                    event.what = id;
                    event.status = "success";
                    if ((emitted = host_.emit(event)) != VIGIL_OK) return false;
                }
                return (emitted = host_.commit("")) == VIGIL_OK;
            },
            error);
        if (status != VIGIL_OK) throw vigil::sdk::Error(status, error);
        if (snapshot_ && emitted == VIGIL_OK) return host_.state_finish("");
        return emitted;
    }

private:
    vigil::sdk::Host host_;
    std::string path_;
    bool snapshot_;
};

VIGIL_PLUGIN(GraphProbe)
