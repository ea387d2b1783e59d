// Entra Logons: sign-ins (GET /auditLogs/signIns), failed and/or successful, interactive and optionally the other
// kinds through beta, read by time windows and normalized into Vigil's event record.
#include "event_emitter.hpp"
#include "record_stream.hpp"
#include "signin_normalizer.hpp"
#include "signin_query.hpp"
#include "window_collector.hpp"

#include <vigil/plugin.hpp>

#include <string>

namespace vigil::connectors {

class EntraLogons {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_CONNECTOR;
    static constexpr const char* name = "entra_logons";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Entra ID sign-ins (failed and successful) through Microsoft Graph";
    static constexpr vigil_config_key config_keys[] = {
        sdk::key("failed", VIGIL_VALUE_BOOL, "true", "collect failed logons"),
        sdk::key("successful", VIGIL_VALUE_BOOL, "true", "collect successful logons"),
        sdk::key("interactive", VIGIL_VALUE_BOOL, "true", "interactive user sign-ins"),
        sdk::key("non_interactive", VIGIL_VALUE_BOOL, "false", "non-interactive user sign-ins (through beta)"),
        sdk::key("service_principal", VIGIL_VALUE_BOOL, "false", "service principal sign-ins (through beta)"),
        sdk::key("managed_identity", VIGIL_VALUE_BOOL, "false", "managed identity sign-ins (through beta)"),
        window_keys::kLag,
        window_keys::kOverlap,
        window_keys::kBackfill,
        window_keys::chunk("1h"),
        window_keys::kPageSize,
    };
    static constexpr const char* graph_probes[] = {"/v1.0/auditLogs/signIns?$top=1"};

    EntraLogons(sdk::Host host, const sdk::Config& config) : host_(host), settings_(window_settings(config)) {
        selection_.failed = config.get_bool("failed");
        selection_.successful = config.get_bool("successful");
        selection_.interactive = config.get_bool("interactive");
        selection_.non_interactive = config.get_bool("non_interactive");
        selection_.service_principal = config.get_bool("service_principal");
        selection_.managed_identity = config.get_bool("managed_identity");
        selection_.page_size = config.get_int("page_size");
        if (!selection_.failed && !selection_.successful) {
            throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                             "failed and successful are both false: nothing would be collected; enable one, or "
                             "disable the connector");
        }
        if (!selection_.interactive && !selection_.needs_beta()) {
            throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                             "no kind of sign-in is selected: enable interactive, non_interactive, service_principal "
                             "or managed_identity");
        }
    }

    vigil_status run() {
        emitter_.start_run();
        WindowCollector(host_, settings_)
            .run([&](const Window& window) { return signin_request(selection_, window); },
                 [&](std::string_view page, std::string& error) { return emit_page(page, error); });
        emitter_.finish_run();
        return VIGIL_OK;
    }

private:
    vigil_status emit_page(std::string_view page, std::string& error) {
        vigil_status status = VIGIL_OK;
        const bool read = stream_.read(
            page,
            [&](simdjson::ondemand::object& record, std::string_view raw) {
                int64_t error_code = 0;
                if (!normalizer_.normalize(record, raw, event_, error_code, why_)) {
                    emitter_.skip(why_);
                } else if (selection_.keep(error_code)) {
                    status = emitter_.emit(event_);
                }
                return status == VIGIL_OK;
            },
            error);
        return read ? status : VIGIL_ERR_UNAVAILABLE;
    }

    sdk::Host host_;
    WindowSettings settings_;
    SignInSelection selection_;
    EventEmitter emitter_{host_, "signIn"};
    RecordStream stream_;
    SignInNormalizer normalizer_;
    sdk::Event event_;
    std::string why_;
};

}  // namespace vigil::connectors

VIGIL_PLUGIN(vigil::connectors::EntraLogons)
