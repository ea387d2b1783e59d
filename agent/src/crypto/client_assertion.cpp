#include "crypto/client_assertion.hpp"

#include "crypto/base64url.hpp"
#include "crypto/certificate.hpp"
#include "util/json_text.hpp"

#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <cstdio>

namespace vigil::crypto {

namespace {

void configure_padding(EVP_PKEY_CTX* context, bool pss) {
    if (!pss) {
        if (EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) <= 0) throw CryptoError("cannot set padding");
        return;
    }
    // PS256 (RFC 7518 section 3.5): PSS, MGF1 with SHA-256, salt as long as the digest.
    if (EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PSS_PADDING) <= 0 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(context, RSA_PSS_SALTLEN_DIGEST) <= 0 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(context, EVP_sha256()) <= 0) {
        throw CryptoError("cannot set PSS padding");
    }
}

std::string sign(const std::string& input, EVP_PKEY* key, bool pss) {
    DigestContext context(EVP_MD_CTX_new());
    EVP_PKEY_CTX* key_context = nullptr;
    if (!context || EVP_DigestSignInit(context.get(), &key_context, EVP_sha256(), nullptr, key) != 1) {
        throw CryptoError("cannot start signing the client assertion (is the key an RSA key?)");
    }
    configure_padding(key_context, pss);
    size_t size = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    if (EVP_DigestSign(context.get(), nullptr, &size, data, input.size()) != 1) throw CryptoError("cannot sign");
    std::string signature(size, '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size, data, input.size()) !=
        1) {
        throw CryptoError("cannot sign the client assertion");
    }
    signature.resize(size);
    return signature;
}

// The "alg" value of a JWT header, read without a JSON library: our own headers and the emulator's inputs only.
std::string header_algorithm(const std::string& header_json) {
    const size_t key = header_json.find("\"alg\"");
    if (key == std::string::npos) return {};
    const size_t start = header_json.find('"', header_json.find(':', key) + 1);
    const size_t end = header_json.find('"', start + 1);
    if (start == std::string::npos || end == std::string::npos) return {};
    return header_json.substr(start + 1, end - start - 1);
}

}  // namespace

std::string random_uuid() {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof(bytes)) != 1) throw CryptoError("cannot draw random bytes");
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);
    char text[37];
    std::snprintf(text, sizeof(text), "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", bytes[0],
                  bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
                  bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return text;
}

std::string make_client_assertion(const AssertionClaims& claims, EVP_PKEY* key, X509* certificate,
                                  AssertionAlgorithm algorithm) {
    const bool pss = algorithm == AssertionAlgorithm::ps256;
    std::string header = pss ? R"({"alg":"PS256","typ":"JWT","x5t#S256":")" : R"({"alg":"RS256","typ":"JWT","x5t":")";
    header += base64url_encode(certificate_digest(certificate, pss ? EVP_sha256() : EVP_sha1()));
    header += "\"}";
    std::string payload = "{\"aud\":";
    append_json_string(payload, claims.token_endpoint);
    payload += ",\"iss\":";
    append_json_string(payload, claims.client_id);
    payload += ",\"sub\":";
    append_json_string(payload, claims.client_id);
    payload += ",\"jti\":";
    append_json_string(payload, claims.jwt_id);
    payload += ",\"nbf\":" + std::to_string(claims.now_s) + ",\"iat\":" + std::to_string(claims.now_s) +
               ",\"exp\":" + std::to_string(claims.now_s + claims.lifetime_s) + "}";
    const std::string signing_input = base64url_encode(header) + "." + base64url_encode(payload);
    return signing_input + "." + base64url_encode(sign(signing_input, key, pss));
}

VerifiedJwt verify_jwt(const std::string& jwt, X509* certificate) {
    const size_t first = jwt.find('.');
    const size_t second = first == std::string::npos ? first : jwt.find('.', first + 1);
    if (second == std::string::npos) throw CryptoError("not a JWT: it needs three dot-separated parts");
    const auto header = base64url_decode(std::string_view(jwt).substr(0, first));
    const auto payload = base64url_decode(std::string_view(jwt).substr(first + 1, second - first - 1));
    const auto signature = base64url_decode(std::string_view(jwt).substr(second + 1));
    if (!header || !payload || !signature) throw CryptoError("not a JWT: a part is not base64url");
    const std::string algorithm = header_algorithm(*header);
    if (algorithm != "PS256" && algorithm != "RS256")
        throw CryptoError("unsupported JWT algorithm '" + algorithm + "'");
    Key public_key(X509_get_pubkey(certificate));
    DigestContext context(EVP_MD_CTX_new());
    EVP_PKEY_CTX* key_context = nullptr;
    if (!public_key ||
        EVP_DigestVerifyInit(context.get(), &key_context, EVP_sha256(), nullptr, public_key.get()) != 1) {
        throw CryptoError("cannot start verifying the JWT");
    }
    configure_padding(key_context, algorithm == "PS256");
    const std::string signing_input = jwt.substr(0, second);
    if (EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
                         reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1) {
        throw CryptoError("the JWT signature does not match the certificate");
    }
    return VerifiedJwt{*header, *payload};
}

}  // namespace vigil::crypto
