#include "crypto/certificate.hpp"

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <cstdio>

namespace vigil::crypto {

namespace {

std::string drain_errors() {
    std::string text;
    for (unsigned long code; (code = ERR_get_error()) != 0;) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof(buffer));
        text += (text.empty() ? "" : "; ") + std::string(buffer);
    }
    return text;
}

std::string bio_contents(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(size));
}

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
    if (extension == nullptr) throw CryptoError("cannot build certificate extension " + value);
    X509_add_ext(certificate, extension, -1);
    X509_EXTENSION_free(extension);
}

}  // namespace

CryptoError::CryptoError(const std::string& what)
    : std::runtime_error([&] {
          const std::string reason = drain_errors();
          return reason.empty() ? what : what + " (" + reason + ")";
      }()) {}

Key generate_rsa_key(int bits) {
    Key key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
    if (!key) throw CryptoError("cannot generate an RSA key");
    return key;
}

Certificate issue_certificate(const CertificateRequest& request, EVP_PKEY* subject_key, EVP_PKEY* issuer_key,
                              X509* issuer_certificate) {
    Certificate certificate(X509_new());
    if (!certificate) throw CryptoError("cannot allocate a certificate");
    X509* cert = certificate.get();
    X509_set_version(cert, 2);
    // A random 64-bit serial: certificates we issue must not collide in a CA's eyes.
    unsigned char serial_bytes[8];
    if (RAND_bytes(serial_bytes, sizeof(serial_bytes)) != 1) throw CryptoError("cannot draw a serial number");
    serial_bytes[0] &= 0x7F;
    BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof(serial_bytes), nullptr);
    BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert));
    BN_free(serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), -300);  // a little slack for clocks behind ours
    X509_gmtime_adj(X509_getm_notAfter(cert), static_cast<long>(request.days) * 86'400);
    X509_set_pubkey(cert, subject_key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(request.common_name.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert, issuer_certificate ? X509_get_subject_name(issuer_certificate) : name);
    X509* issuer = issuer_certificate ? issuer_certificate : cert;
    add_extension(cert, issuer, NID_basic_constraints, request.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_extension(cert, issuer, NID_key_usage,
                  request.is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,keyEncipherment");
    add_extension(cert, issuer, NID_subject_key_identifier, "hash");
    if (!request.dns_names.empty() || !request.ip_addresses.empty()) {
        std::string names;
        for (const auto& dns : request.dns_names) names += (names.empty() ? "" : ",") + ("DNS:" + dns);
        for (const auto& ip : request.ip_addresses) names += (names.empty() ? "" : ",") + ("IP:" + ip);
        add_extension(cert, issuer, NID_subject_alt_name, names);
    }
    if (X509_sign(cert, issuer_key, EVP_sha256()) == 0) throw CryptoError("cannot sign the certificate");
    return certificate;
}

std::string key_to_pem(EVP_PKEY* key) {
    Bio bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        throw CryptoError("cannot encode the private key");
    }
    return bio_contents(bio.get());
}

std::string certificate_to_pem(X509* certificate) {
    Bio bio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_X509(bio.get(), certificate) != 1) throw CryptoError("cannot encode the certificate");
    return bio_contents(bio.get());
}

std::string certificate_to_der(X509* certificate) {
    unsigned char* der = nullptr;
    const int size = i2d_X509(certificate, &der);
    if (size <= 0) throw CryptoError("cannot encode the certificate");
    std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(size));
    OPENSSL_free(der);
    return bytes;
}

Key load_private_key(const std::string& path) {
    Bio bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) throw CryptoError("cannot read the private key file " + path);
    Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) throw CryptoError(path + " holds no unencrypted PEM private key");
    return key;
}

Certificate load_certificate(const std::string& path) {
    Bio bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) throw CryptoError("cannot read the certificate file " + path);
    Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!certificate) throw CryptoError(path + " holds no PEM certificate");
    return certificate;
}

Certificate certificate_from_pem(const std::string& pem) {
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!certificate) throw CryptoError("not a PEM certificate");
    return certificate;
}

std::string certificate_digest(X509* certificate, const EVP_MD* digest) {
    unsigned char bytes[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (X509_digest(certificate, digest, bytes, &size) != 1) throw CryptoError("cannot digest the certificate");
    return std::string(reinterpret_cast<char*>(bytes), size);
}

std::string to_hex_upper(const std::string& bytes) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string text;
    for (const unsigned char byte : bytes) {
        text.push_back(kHex[byte >> 4]);
        text.push_back(kHex[byte & 0xF]);
    }
    return text;
}

}  // namespace vigil::crypto
