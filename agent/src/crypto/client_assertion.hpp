#pragma once

#include "crypto/openssl_handles.hpp"

#include <cstdint>
#include <string>

namespace vigil::crypto {

enum class AssertionAlgorithm {
    ps256,  // RSA-PSS with SHA-256, header x5t#S256: what Microsoft's documentation asks for today
    rs256,  // RSA PKCS#1 v1.5 with SHA-256, header x5t (SHA-1 thumbprint): the older form, still accepted
};

// The client assertion of OAuth 2.0 client credentials with a certificate (RFC 7523): a JWT signed with the
// application's private key, which the token endpoint checks against the uploaded certificate.
struct AssertionClaims {
    std::string client_id;       // iss and sub
    std::string token_endpoint;  // aud: the token endpoint of the cloud in use
    std::string jwt_id;          // jti: unique per assertion
    int64_t now_s = 0;           // nbf and iat
    int64_t lifetime_s = 600;    // exp = now + lifetime (Entra accepts 5 to 10 minutes)
};

std::string make_client_assertion(const AssertionClaims& claims, EVP_PKEY* key, X509* certificate,
                                  AssertionAlgorithm algorithm);

// A random version-4 UUID, for jti.
std::string random_uuid();

// Verifies a JWT's signature (PS256 or RS256) with the certificate's public key; the emulator's token endpoint and
// the tests use it. Returns the decoded header and payload JSON, or throws CryptoError.
struct VerifiedJwt {
    std::string header_json;
    std::string payload_json;
};
VerifiedJwt verify_jwt(const std::string& jwt, X509* certificate);

}  // namespace vigil::crypto
