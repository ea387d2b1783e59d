#include "crypto/client_assertion.hpp"
#include "crypto/base64url.hpp"
#include "crypto/certificate.hpp"
#include "support/test_support.hpp"
#include "util/json_text.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <vector>

namespace vigil::crypto {
namespace {

std::string bytes_of_hex(const std::string& hex) {
    std::string bytes;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

TEST(Base64Url, MatchesTheDocumentedThumbprintAndRoundTrips) {
    // Microsoft's certificate-credentials page: this SHA-1 thumbprint is x5t "hOBcHZi846VCHSJbFAs26Go9VTQ" (unpadded).
    EXPECT_EQ(base64url_encode(bytes_of_hex("84E05C1D98BCE3A5421D225B140B36E86A3D5534")),
              "hOBcHZi846VCHSJbFAs26Go9VTQ");
    const std::vector<std::string> samples{"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                           std::string("\xff\xfe\x00\x01", 4)};
    for (const std::string& text : samples) EXPECT_EQ(base64url_decode(base64url_encode(text)), text);
    EXPECT_EQ(base64url_decode("hOBcHZi846VCHSJbFAs26Go9VTQ="),
              bytes_of_hex("84E05C1D98BCE3A5421D225B140B36E86A3D5534"));
    EXPECT_FALSE(base64url_decode("a+b/").has_value()) << "plain base64 characters are not base64url";
}

class AssertionTest : public testing::Test {
protected:
    AssertionTest() : key_(generate_rsa_key()) {
        CertificateRequest request;
        request.common_name = "vigil-test";
        certificate_ = issue_certificate(request, key_.get(), key_.get(), nullptr);
    }
    AssertionClaims claims() const {
        return AssertionClaims{"00000000-0000-0000-0000-000000000001",
                               "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
                               random_uuid(), 1'767'225'600, 600};
    }
    Key key_;
    Certificate certificate_;
};

TEST_F(AssertionTest, Ps256CarriesTheSha256ThumbprintAndTheClaims) {
    const std::string jwt = make_client_assertion(claims(), key_.get(), certificate_.get(), AssertionAlgorithm::ps256);
    const VerifiedJwt verified = verify_jwt(jwt, certificate_.get());
    EXPECT_EQ(verified.header_json, R"({"alg":"PS256","typ":"JWT","x5t#S256":")" +
                                        base64url_encode(certificate_digest(certificate_.get(), EVP_sha256())) + "\"}");
    EXPECT_TRUE(is_valid_json(verified.payload_json));
    EXPECT_NE(verified.payload_json.find(
                  R"("aud":"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token")"),
              std::string::npos);
    EXPECT_NE(verified.payload_json.find(R"("iss":"00000000-0000-0000-0000-000000000001")"), std::string::npos);
    EXPECT_NE(verified.payload_json.find(R"("sub":"00000000-0000-0000-0000-000000000001")"), std::string::npos);
    EXPECT_NE(verified.payload_json.find(R"("nbf":1767225600,"iat":1767225600,"exp":1767226200)"), std::string::npos);
}

TEST_F(AssertionTest, Rs256CarriesTheSha1Thumbprint) {
    const std::string jwt = make_client_assertion(claims(), key_.get(), certificate_.get(), AssertionAlgorithm::rs256);
    const VerifiedJwt verified = verify_jwt(jwt, certificate_.get());
    EXPECT_EQ(verified.header_json, R"({"alg":"RS256","typ":"JWT","x5t":")" +
                                        base64url_encode(certificate_digest(certificate_.get(), EVP_sha1())) + "\"}");
}

TEST_F(AssertionTest, ATamperedOrForeignAssertionDoesNotVerify) {
    std::string jwt = make_client_assertion(claims(), key_.get(), certificate_.get(), AssertionAlgorithm::ps256);
    Key other_key = generate_rsa_key();
    CertificateRequest request;
    request.common_name = "someone-else";
    Certificate other = issue_certificate(request, other_key.get(), other_key.get(), nullptr);
    EXPECT_THROW(verify_jwt(jwt, other.get()), CryptoError);
    const size_t payload_start = jwt.find('.') + 1;
    jwt[payload_start + 3] = jwt[payload_start + 3] == 'A' ? 'B' : 'A';
    EXPECT_THROW(verify_jwt(jwt, certificate_.get()), CryptoError);
}

// Independent of our verify_jwt: the openssl tool checks the PS256 signature (PSS, MGF1-SHA256, 32-byte salt).
TEST_F(AssertionTest, OpensslAgreesThePs256SignatureIsValid) {
    test::TempDir dir;
    const std::string jwt = make_client_assertion(claims(), key_.get(), certificate_.get(), AssertionAlgorithm::ps256);
    const size_t last_dot = jwt.rfind('.');
    dir.write("input", jwt.substr(0, last_dot));
    dir.write("signature", *base64url_decode(jwt.substr(last_dot + 1)));
    dir.write("cert.pem", certificate_to_pem(certificate_.get()));
    const std::string command = "cd " + dir.path().string() +
                                " && openssl x509 -in cert.pem -pubkey -noout > pub.pem && "
                                "openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 "
                                "-verify pub.pem -signature signature input";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char line[128] = {};
    const bool read = fgets(line, sizeof(line), pipe) != nullptr;
    EXPECT_EQ(pclose(pipe), 0);
    ASSERT_TRUE(read);
    EXPECT_STREQ(line, "Verified OK\n");
}

TEST(Certificates, AServerCertificateChainsToItsCaAndNamesLoopback) {
    const Key ca_key = generate_rsa_key();
    CertificateRequest ca_request;
    ca_request.common_name = "Vigil test CA";
    ca_request.is_ca = true;
    const Certificate ca = issue_certificate(ca_request, ca_key.get(), ca_key.get(), nullptr);
    const Key server_key = generate_rsa_key();
    CertificateRequest server_request;
    server_request.common_name = "localhost";
    server_request.dns_names = {"localhost"};
    server_request.ip_addresses = {"127.0.0.1"};
    const Certificate server = issue_certificate(server_request, server_key.get(), ca_key.get(), ca.get());
    test::TempDir dir;
    dir.write("ca.pem", certificate_to_pem(ca.get()));
    dir.write("server.pem", certificate_to_pem(server.get()));
    const std::string command = "openssl verify -CAfile " + dir.file("ca.pem") + " " + dir.file("server.pem") +
                                " >/dev/null && openssl x509 -in " + dir.file("server.pem") +
                                " -noout -ext subjectAltName | grep -q 'IP Address:127.0.0.1'";
    EXPECT_EQ(std::system(command.c_str()), 0);
    // PEM files read back to the same certificate.
    const std::string key_file = dir.write("server.key", key_to_pem(server_key.get()));
    EXPECT_EQ(certificate_digest(load_certificate(dir.file("server.pem")).get(), EVP_sha256()),
              certificate_digest(server.get(), EVP_sha256()));
    EXPECT_NE(load_private_key(key_file), nullptr);
    try {
        load_private_key(dir.file("server.pem"));
        FAIL() << "a certificate is not a key";
    } catch (const CryptoError& failure) {
        EXPECT_EQ(
            std::string(failure.what()).rfind(dir.file("server.pem") + " holds no unencrypted PEM private key", 0), 0u)
            << failure.what();
    }
}

}  // namespace
}  // namespace vigil::crypto
