#pragma once

#include "scenario.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::emulator {

class GraphEmulator;

// Graph's error body: {"error":{"code":..., "message":..., "innerError":{...}}}.
void send_graph_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                      const std::string& message);

// Who is calling a Graph endpoint.
struct Caller {
    const Tenant* tenant = nullptr;
    const Application* application = nullptr;
};

// Checks the bearer token and that the application holds one of the permissions the endpoint accepts (the least
// privileged first, as Graph's documentation lists them). Sends the 401/403 and returns nullopt when the request
// cannot go on.
std::optional<Caller> authorize(GraphEmulator& emulator, Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response, const std::vector<const char*>& any_of);

// Graph's limits, when the scenario sets them: the reporting APIs count requests (5 per 10 s per tenant and
// application), the directory counts ResourceUnits. Throttled requests count too ("Microsoft Graph continues to log
// resource usage while a client is being throttled"). Sends the 429 with Retry-After and returns false when over.
enum class Budget { reports, directory };
bool within_limits(GraphEmulator& emulator, const Caller& caller, Budget budget, int cost,
                   Poco::Net::HTTPServerResponse& response);

// Counts the request and plays the tenant's every-Nth faults: a reset, a 429 with Retry-After, a 503. Returns true
// when a fault was played (the handler stops). The malformed-page fault is reported through cut_page.
bool play_faults(GraphEmulator& emulator, const Tenant& tenant, Poco::Net::HTTPServerRequest& request,
                 Poco::Net::HTTPServerResponse& response, bool& cut_page);

// The paging and query options of a listing, as Graph takes them.
struct ListQuery {
    int top = 1000;
    std::string filter;
    std::string orderby;
    std::string select;
    std::optional<int64_t> position;  // from $skiptoken: where the page starts
};
// Page sizes differ by resource: audit logs 1000 (and default 1000), directory objects 999 (default 100).
struct PageSizes {
    int default_top = 1000;
    int max_top = 1000;
};
// Reads them; sends Graph's 400 (and returns nullopt) for $skip, for $top outside 1..max, and for a skip token
// older than the tenant's link_ttl_ms ("Invalid Skip Token", as Graph has been seen to answer).
std::optional<ListQuery> read_list_query(const std::string& uri, const Tenant& tenant,
                                         Poco::Net::HTTPServerResponse& response, PageSizes sizes = {});
// The @odata.nextLink that continues query at position: the same path and options, an opaque skip token.
std::string next_link(const GraphEmulator& emulator, const std::string& path, const ListQuery& query, int64_t position);

// Sends a JSON page, gzipped when the client asks and the scenario allows.
void send_page(GraphEmulator& emulator, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::string& body, bool cut_page);

}  // namespace vigil::emulator
