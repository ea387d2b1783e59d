// Entra Activity: the directory audit log (GET /auditLogs/directoryAudits), read by time windows and normalized
// into Vigil's event record.
#include "audit_normalizer.hpp"
#include "graph_page.hpp"
#include "primary_domain.hpp"
#include "utc_time.hpp"
#include "window_collector.hpp"

#include <vigil/plugin.hpp>

#include <optional>
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
        if (!domain_) domain_ = primary_domain(host_);
        const std::string_view where = domain_ ? std::string_view(*domain_) : std::string_view{};
        WindowCollector collector(host_, settings_);
        int skipped = 0;
        collector.run(
            [&](const Window& window) {
                return "/v1.0/auditLogs/directoryAudits?$top=" + std::to_string(page_size_) +
                       "&$filter=activityDateTime ge " + format_utc_s(window.from_ms) + " and activityDateTime le " +
                       format_utc_s(window.to_ms);
            },
            [&](std::string_view text, std::string& error) {
                if (!page_.parse(text, error)) return VIGIL_ERR_UNAVAILABLE;
                const GraphPage& page = page_;
                for (size_t i = 0; i < page.size(); ++i) {
                    if (!normalizer_.normalize(page.record(i), page.raw(i), event_, why_)) {
                        if (++skipped <= 5) host_.warn("a directoryAudit record was skipped: " + why_);
                        continue;
                    }
                    event_.where = where;
                    if (const vigil_status status = host_.emit(event_); status != VIGIL_OK) return status;
                }
                return VIGIL_OK;
            });
        if (skipped > 0) host_.warn(std::to_string(skipped) + " directoryAudit records could not be read this run");
        return VIGIL_OK;
    }

private:
    sdk::Host host_;
    WindowSettings settings_;
    int64_t page_size_;
    std::optional<std::string> domain_;
    GraphPage page_;  // audits are read as a DOM: the normalizer picks among targets; the volume is low
    AuditNormalizer normalizer_;
    sdk::Event event_;
    std::string why_;
};

}  // namespace vigil::connectors

VIGIL_PLUGIN(vigil::connectors::EntraActivity)
