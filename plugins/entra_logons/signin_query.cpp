#include "signin_query.hpp"

#include "utc_time.hpp"

namespace vigil::connectors {

std::string signin_request(const SignInSelection& selection, const Window& window) {
    std::string request = selection.needs_beta() ? "/beta/auditLogs/signIns" : "/v1.0/auditLogs/signIns";
    request += "?$top=" + std::to_string(selection.page_size) + "&$filter=createdDateTime ge " +
               format_utc_s(window.from_ms) + " and createdDateTime le " + format_utc_s(window.to_ms);
    if (selection.successful && !selection.failed) request += " and status/errorCode eq 0";
    if (selection.needs_beta()) {
        std::string types;
        const auto add = [&](bool wanted, const char* type) {
            if (!wanted) return;
            types += types.empty() ? "t eq '" : " or t eq '";
            types += type;
            types += '\'';
        };
        add(selection.interactive, "interactiveUser");
        add(selection.non_interactive, "nonInteractiveUser");
        add(selection.service_principal, "servicePrincipal");
        add(selection.managed_identity, "managedIdentity");
        request += " and signInEventTypes/any(t: " + types + ")";
    }
    return request;
}

}  // namespace vigil::connectors
