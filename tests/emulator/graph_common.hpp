#pragma once

#include "scenario.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <optional>
#include <string>

namespace vigil::emulator {

class GraphEmulator;

// Graph's error body: {"error":{"code":..., "message":..., "innerError":{...}}}.
void send_graph_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                      const std::string& message);

// The caller of a Graph endpoint: checks the bearer token and the permission the endpoint needs. Sends the 401/403
// and returns false when the request cannot go on.
bool authorize(GraphEmulator& emulator, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               const std::string& permission, const Tenant*& tenant);

// Counts the request and plays the tenant's every-Nth faults: a reset, a 429 with Retry-After, a 503. Returns true
// when a fault was played (the handler stops). The malformed-page fault is reported through cut_page.
bool play_faults(GraphEmulator& emulator, const Tenant& tenant, Poco::Net::HTTPServerRequest& request,
                 Poco::Net::HTTPServerResponse& response, bool& cut_page);

// The paging and query options of a listing, as Graph takes them.
struct ListQuery {
    int top = 1000;
    std::string filter;
    std::string orderby;
    std::optional<int64_t> position;  // from $skiptoken: where the page starts
};
// Reads them; sends Graph's 400 (and returns nullopt) for $skip, for $top outside 1..1000, and for a skip token
// older than the tenant's link_ttl_ms ("Invalid Skip Token", as Graph has been seen to answer).
std::optional<ListQuery> read_list_query(const std::string& uri, const Tenant& tenant,
                                         Poco::Net::HTTPServerResponse& response);
// The @odata.nextLink that continues query at position: the same path and options, an opaque skip token.
std::string next_link(const GraphEmulator& emulator, const std::string& path, const ListQuery& query, int64_t position);

// Sends a JSON page, gzipped when the client asks and the scenario allows.
void send_page(GraphEmulator& emulator, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::string& body, bool cut_page);

}  // namespace vigil::emulator
