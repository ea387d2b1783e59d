#pragma once

#include "scenario.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

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

// Sends a JSON page, gzipped when the client asks and the scenario allows.
void send_page(GraphEmulator& emulator, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::string& body, bool cut_page);

}  // namespace vigil::emulator
