#pragma once

#include <string>

namespace vigil::graph {

// Where a source's tokens and Graph calls go: the cloud's hosts, or the `endpoints:` overrides of the source.
struct Endpoints {
    std::string login;  // https://login.microsoftonline.com, no trailing slash
    std::string graph;  // https://graph.microsoft.com

    std::string token_url(const std::string& tenant) const { return login + "/" + tenant + "/oauth2/v2.0/token"; }
    // Tokens are per resource: the national clouds' Graph hosts are their own resources.
    std::string scope() const;
};

// global | usgov | usgov_dod | china (the configuration loader accepts nothing else). Overrides win when set.
Endpoints endpoints_for(const std::string& cloud, const std::string& login_override = {},
                        const std::string& graph_override = {});

}  // namespace vigil::graph
