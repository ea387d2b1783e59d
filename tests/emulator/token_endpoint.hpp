#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

namespace vigil::emulator {

class GraphEmulator;

// POST /{tenant}/oauth2/v2.0/token: OAuth 2.0 client credentials with a client secret or a client assertion
// (verifying signature, thumbprint, aud, iss/sub, nbf/exp and jti reuse), answering with Entra's error bodies
// (error, error_description starting "AADSTSnnnn:", error_codes, trace ids, error_uri).
class TokenEndpoint : public Poco::Net::HTTPRequestHandler {
public:
    TokenEndpoint(GraphEmulator& emulator, std::string tenant) : emulator_(emulator), tenant_(std::move(tenant)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    GraphEmulator& emulator_;
    std::string tenant_;
};

}  // namespace vigil::emulator
