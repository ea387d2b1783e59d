#pragma once

#include "emulator.hpp"
#include "graph/graph_client.hpp"

#include <Poco/JSON/Parser.h>

#include <string>
#include <vector>

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

// Every record of every page of a Graph listing, as the real GraphClient pages it.
struct Listing {
    std::vector<Poco::JSON::Object::Ptr> records;
    std::vector<size_t> page_sizes;
    std::string delta_link;  // the last page's @odata.deltaLink, if any

    std::vector<std::string> values_of(const std::string& property) const {
        std::vector<std::string> values;
        for (const auto& record : records) values.push_back(record->getValue<std::string>(property));
        return values;
    }
    std::vector<std::string> ids() const { return values_of("id"); }
};

inline Listing list_all(graph::GraphClient& client, const std::string& path_or_url) {
    Listing listing;
    client.get_pages(path_or_url, [&](std::string_view page) {
        const auto root = Poco::JSON::Parser().parse(std::string(page)).extract<Poco::JSON::Object::Ptr>();
        const auto values = root->getArray("value");
        for (unsigned i = 0; i < values->size(); ++i) listing.records.push_back(values->getObject(i));
        listing.page_sizes.push_back(values->size());
        if (root->has("@odata.deltaLink")) listing.delta_link = root->getValue<std::string>("@odata.deltaLink");
        return true;
    });
    return listing;
}

}  // namespace vigil::test
