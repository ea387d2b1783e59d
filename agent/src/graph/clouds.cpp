#include "graph/clouds.hpp"

#include <stdexcept>

namespace vigil::graph {

std::string Endpoints::scope() const {
    // The real clouds' resources are their canonical Graph hosts; an override (the emulator, a proxy) keeps the
    // global resource unless it is one of them, since Entra only issues tokens for real resources.
    for (const char* resource :
         {"https://graph.microsoft.us", "https://dod-graph.microsoft.us", "https://microsoftgraph.chinacloudapi.cn"}) {
        if (graph == resource) return graph + "/.default";
    }
    return "https://graph.microsoft.com/.default";
}

Endpoints endpoints_for(const std::string& cloud, const std::string& login_override,
                        const std::string& graph_override) {
    Endpoints endpoints;
    if (cloud == "global") {
        endpoints = {"https://login.microsoftonline.com", "https://graph.microsoft.com"};
    } else if (cloud == "usgov") {
        endpoints = {"https://login.microsoftonline.us", "https://graph.microsoft.us"};
    } else if (cloud == "usgov_dod") {
        endpoints = {"https://login.microsoftonline.us", "https://dod-graph.microsoft.us"};
    } else if (cloud == "china") {
        endpoints = {"https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"};
    } else {
        throw std::invalid_argument("unknown cloud '" + cloud + "'");
    }
    const auto trimmed = [](std::string url) {
        while (!url.empty() && url.back() == '/') url.pop_back();
        return url;
    };
    if (!login_override.empty()) endpoints.login = trimmed(login_override);
    if (!graph_override.empty()) endpoints.graph = trimmed(graph_override);
    return endpoints;
}

}  // namespace vigil::graph
