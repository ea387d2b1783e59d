#pragma once

#include "crypto/client_assertion.hpp"
#include "graph/clouds.hpp"
#include "graph/https_client.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace vigil::graph {

// The application's credential, as the token endpoint needs it. The secret and key never leave this struct except
// in the token request body.
struct ClientCredential {
    std::string name;  // the credential's name in the configuration, for messages
    std::string client_id;
    std::string client_secret;
    std::string certificate_file;
    std::string private_key_file;
    crypto::AssertionAlgorithm algorithm = crypto::AssertionAlgorithm::ps256;
};

struct AccessToken {
    std::string value;
    int64_t expires_at_ms = 0;
};

// The token endpoint refused: `message` says what to do; `retryable` marks transient refusals.
class TokenError : public std::runtime_error {
public:
    TokenError(const std::string& message, int aadsts_code, std::string oauth_error, bool retryable)
        : std::runtime_error(message),
          aadsts_code_(aadsts_code),
          oauth_error_(std::move(oauth_error)),
          retryable_(retryable) {}
    int aadsts_code() const { return aadsts_code_; }
    const std::string& oauth_error() const { return oauth_error_; }
    bool retryable() const { return retryable_; }

private:
    int aadsts_code_;
    std::string oauth_error_;
    bool retryable_;
};

// OAuth 2.0 client credentials (v2.0 endpoint) with a client secret or a certificate assertion. Throws TokenError
// for refusals (with the AADSTS code mapped to advice), TlsError and TransportError for the connection.
AccessToken request_token(HttpsClient& client, const Endpoints& endpoints, const std::string& tenant,
                          const ClientCredential& credential, int64_t now_ms);

// The TokenError for a refusal from the token endpoint (status and body as received).
TokenError token_error_from(int status, const std::string& body, const ClientCredential& credential,
                            const std::string& tenant, const std::string& url);

// A person's sentence for an AADSTS code, naming what to fix; empty for codes without specific advice.
std::string advice_for(int aadsts_code, const ClientCredential& credential, const std::string& tenant);

}  // namespace vigil::graph
