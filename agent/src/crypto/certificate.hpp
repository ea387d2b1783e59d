#pragma once

#include "crypto/openssl_handles.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::crypto {

// What a new certificate says about itself.
struct CertificateRequest {
    std::string common_name;
    int days = 365;
    bool is_ca = false;
    std::vector<std::string> dns_names;     // subjectAltName DNS entries
    std::vector<std::string> ip_addresses;  // subjectAltName IP entries
};

Key generate_rsa_key(int bits = 2048);
// Signs with issuer_key; a self-signed certificate passes its own key and no issuer certificate.
Certificate issue_certificate(const CertificateRequest& request, EVP_PKEY* subject_key, EVP_PKEY* issuer_key,
                              X509* issuer_certificate);

std::string key_to_pem(EVP_PKEY* key);  // PKCS#8, unencrypted
std::string certificate_to_pem(X509* certificate);
std::string certificate_to_der(X509* certificate);

// Reads PEM files, naming the file in the error (which never shows the key material).
Key load_private_key(const std::string& path);
Certificate load_certificate(const std::string& path);
Certificate certificate_from_pem(const std::string& pem);

// Digest of the certificate's DER encoding, as raw bytes and as the upper-case hex the Azure portal shows.
std::string certificate_digest(X509* certificate, const EVP_MD* digest);
std::string to_hex_upper(const std::string& bytes);

}  // namespace vigil::crypto
