#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

namespace vigil::emulator {

class GraphEmulator;

// GET /v1.0/auditLogs/signIns and /beta/auditLogs/signIns: newest first, $top up to 1,000, the documented $filter
// forms (400 for others), beta's signInEventTypes (interactive only without it), 403 for tenants without P1/P2.
class SignIns : public Poco::Net::HTTPRequestHandler {
public:
    SignIns(GraphEmulator& emulator, bool beta) : emulator_(emulator), beta_(beta) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    GraphEmulator& emulator_;
    bool beta_;
};

}  // namespace vigil::emulator
