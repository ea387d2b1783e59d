#include "primary_domain.hpp"

#include "graph_page.hpp"

namespace vigil::connectors {

std::optional<std::string> primary_domain(const sdk::Host& host) {
    std::string domain;
    std::string error;
    GraphPage page;
    std::string parse_error;
    const vigil_status status = host.graph_get(
        "/v1.0/organization?$select=verifiedDomains",
        [&](std::string_view text) {
            if (!page.parse(text, parse_error) || page.size() == 0) return false;
            simdjson::dom::array domains;
            if (page.record(0)["verifiedDomains"].get_array().get(domains) != simdjson::SUCCESS) return false;
            for (simdjson::dom::element element : domains) {
                bool is_default = false;
                if (element["isDefault"].get_bool().get(is_default) == simdjson::SUCCESS && is_default) {
                    domain = std::string(string_at(element, "name"));
                }
            }
            return false;  // one page is all there is
        },
        error);
    if (status == VIGIL_ERR_DENIED) {
        host.log(VIGIL_LOG_DEBUG, "the tenant's domain cannot be read (" + error + "); events name the tenant id");
    } else if (status != VIGIL_OK) {
        return std::nullopt;  // this run names the tenant id; the next one asks again
    }
    return domain;
}

}  // namespace vigil::connectors
