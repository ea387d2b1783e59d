#pragma once

#include "emulator.hpp"
#include "graph/graph_client.hpp"

#include <string>

namespace vigil::test {

// A Graph source pointed at the emulator: its URL for both hosts, its CA, and a client-secret credential.
inline graph::GraphSource emulator_source(const emulator::GraphEmulator& emulator, const std::string& tenant_id,
                                          const std::string& client_id, const std::string& secret = "s",
                                          const std::string& credential_name = "contoso-app") {
    graph::GraphSource source;
    source.organization = "Contoso";
    source.tenant_id = tenant_id;
    source.credential.name = credential_name;
    source.credential.client_id = client_id;
    source.credential.client_secret = secret;
    source.endpoints = graph::endpoints_for("global", emulator.base_url(), emulator.base_url());
    source.ca_file = emulator.ca_file();
    return source;
}

}  // namespace vigil::test
