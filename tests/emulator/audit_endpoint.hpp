#pragma once

#include "scenario.hpp"

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

namespace vigil::emulator {

class GraphEmulator;

// GET /v1.0/auditLogs/directoryAudits: bearer-token checked, paged with $top and an opaque $skiptoken in
// @odata.nextLink, gzip when asked, and the tenant's faults (429 with Retry-After, 503) on every Nth request.
class DirectoryAudits : public Poco::Net::HTTPRequestHandler {
public:
    explicit DirectoryAudits(GraphEmulator& emulator) : emulator_(emulator) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    GraphEmulator& emulator_;
};

}  // namespace vigil::emulator
