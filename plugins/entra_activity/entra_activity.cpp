// Entra Activity: the directory audit log (GET /auditLogs/directoryAudits), read by time windows and normalized
// into Vigil's event record.
#include "audit_normalizer.hpp"
#include "event_emitter.hpp"
#include "graph_page.hpp"
#include "utc_time.hpp"
#include "window_collector.hpp"

#include <vigil/plugin.hpp>

#include <string>

namespace vigil::connectors {

class EntraActivity {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_CONNECTOR;
    static constexpr const char* name = "entra_activity";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Entra ID directory changes (audit log) through Microsoft Graph";
    static constexpr vigil_config_key config_keys[] = {
        window_keys::kLag,        window_keys::kOverlap,  window_keys::kBackfill,
        window_keys::chunk("6h"), window_keys::kPageSize,
    };
    static constexpr const char* graph_probes[] = {"/v1.0/auditLogs/directoryAudits?$top=1"};

    EntraActivity(sdk::Host host, const sdk::Config& config)
        : host_(host), settings_(window_settings(config)), page_size_(config.get_int("page_size")) {}

    vigil_status run() {
        emitter_.start_run();
        WindowCollector(host_, settings_)
            .run([&](const Window& window) { return request_for(window); },
                 [&](std::string_view page, std::string& error) { return emit_page(page, error); });
        emitter_.finish_run();
        return VIGIL_OK;
    }

private:
    std::string request_for(const Window& window) const {
        return "/v1.0/auditLogs/directoryAudits?$top=" + std::to_string(page_size_) + "&$filter=activityDateTime ge " +
               format_utc_s(window.from_ms) + " and activityDateTime le " + format_utc_s(window.to_ms);
    }

    vigil_status emit_page(std::string_view text, std::string& error) {
        if (!page_.parse(text, error)) return VIGIL_ERR_UNAVAILABLE;
        for (size_t i = 0; i < page_.size(); ++i) {
            if (!normalizer_.normalize(page_.record(i), page_.raw(i), event_, why_)) {
                emitter_.skip(why_);
                continue;
            }
            if (const vigil_status status = emitter_.emit(event_); status != VIGIL_OK) return status;
        }
        return VIGIL_OK;
    }

    sdk::Host host_;
    WindowSettings settings_;
    int64_t page_size_;
    EventEmitter emitter_{host_, "directoryAudit"};
    GraphPage page_;  // audits are read as a DOM: the normalizer picks among targets; the volume is low
    AuditNormalizer normalizer_;
    sdk::Event event_;
    std::string why_;
};

}  // namespace vigil::connectors

VIGIL_PLUGIN(vigil::connectors::EntraActivity)
