// Tokens by secret and by certificate against the emulator over real TLS, and every refusal mapped to advice.
#include "graph/token_client.hpp"
#include "crypto/certificate.hpp"
#include "emulator.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

namespace vigil::graph {
namespace {

const std::string kTenant = "11111111-1111-1111-1111-111111111111";
const std::string kSecretApp = "00000000-0000-0000-0000-00000000000a";
const std::string kCertApp = "00000000-0000-0000-0000-00000000000b";
const std::string kExpiredApp = "00000000-0000-0000-0000-00000000000c";

int64_t now() {
    return emulator::now_ms();
}

// One emulator for the suite: its CA, server and application keys take a second to generate.
class TokenClientTest : public testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        // The certificate application's key pair, as `vigil cert generate` would make it.
        const crypto::Key key = crypto::generate_rsa_key();
        crypto::CertificateRequest request;
        request.common_name = "app";
        const crypto::Certificate certificate = crypto::issue_certificate(request, key.get(), key.get(), nullptr);
        cert_file_ = dir_->write("app.crt", crypto::certificate_to_pem(certificate.get()));
        key_file_ = dir_->write("app.key", crypto::key_to_pem(key.get()));
        emulator::Scenario scenario;
        emulator::Tenant tenant;
        tenant.id = kTenant;
        tenant.domain = "contoso.onmicrosoft.com";
        tenant.applications = {{kSecretApp, "right-secret", false, ""},
                               {kCertApp, "", false, cert_file_},
                               {kExpiredApp, "old-secret", true, ""}};
        scenario.tenants.push_back(tenant);
        emulator_ = new emulator::GraphEmulator(emulator::GraphEmulator::Options{dir_->file("emulator"), scenario, 0});
    }
    static void TearDownTestSuite() {
        delete emulator_;
        delete dir_;
    }
    void SetUp() override {
        endpoints_ = endpoints_for("global", emulator_->base_url(), emulator_->base_url());
        client_ = std::make_unique<HttpsClient>(HttpsOptions{emulator_->ca_file()});
    }

    ClientCredential secret_credential(const std::string& client_id, const std::string& secret) const {
        ClientCredential credential;
        credential.name = "contoso-app";
        credential.client_id = client_id;
        credential.client_secret = secret;
        return credential;
    }
    ClientCredential certificate_credential(crypto::AssertionAlgorithm algorithm) const {
        ClientCredential credential;
        credential.name = "contoso-cert";
        credential.client_id = kCertApp;
        credential.certificate_file = cert_file_;
        credential.private_key_file = key_file_;
        credential.algorithm = algorithm;
        return credential;
    }
    // The refusal's message, or a failure when a token came back.
    std::string refusal(const ClientCredential& credential, const std::string& tenant = kTenant, int* code = nullptr) {
        try {
            request_token(*client_, endpoints_, tenant, credential, now());
        } catch (const TokenError& failure) {
            if (code) *code = failure.aadsts_code();
            return failure.what();
        }
        ADD_FAILURE() << "a token was issued";
        return {};
    }

    static inline test::TempDir* dir_ = nullptr;
    static inline std::string cert_file_;
    static inline std::string key_file_;
    static inline emulator::GraphEmulator* emulator_ = nullptr;
    Endpoints endpoints_;
    std::unique_ptr<HttpsClient> client_;
};

TEST_F(TokenClientTest, IssuesATokenForTheRightSecret) {
    const int64_t before = now();
    const AccessToken token =
        request_token(*client_, endpoints_, kTenant, secret_credential(kSecretApp, "right-secret"), before);
    EXPECT_EQ(token.value.rfind("emulated.", 0), 0u);
    EXPECT_EQ(token.expires_at_ms, before + 3'599'000);
    const auto requests = emulator_->requests();
    ASSERT_FALSE(requests.empty());
    EXPECT_EQ(requests.back().method, "POST");
    EXPECT_EQ(requests.back().path, "/" + kTenant + "/oauth2/v2.0/token");
    EXPECT_EQ(requests.back().status, 200);
}

TEST_F(TokenClientTest, AcceptsTheTenantsDomainAsWellAsItsId) {
    EXPECT_FALSE(request_token(*client_, endpoints_, "contoso.onmicrosoft.com",
                               secret_credential(kSecretApp, "right-secret"), now())
                     .value.empty());
}

TEST_F(TokenClientTest, IssuesATokenForACertificateAssertionInBothAlgorithms) {
    EXPECT_FALSE(
        request_token(*client_, endpoints_, kTenant, certificate_credential(crypto::AssertionAlgorithm::ps256), now())
            .value.empty());
    EXPECT_FALSE(
        request_token(*client_, endpoints_, kTenant, certificate_credential(crypto::AssertionAlgorithm::rs256), now())
            .value.empty());
}

TEST_F(TokenClientTest, AWrongSecretSaysToUseTheSecretsValueAndNeverQuotesIt) {
    int code = 0;
    const std::string message = refusal(secret_credential(kSecretApp, "wrong-secret-value"), kTenant, &code);
    EXPECT_EQ(code, 7000215);
    EXPECT_EQ(message, "AADSTS7000215: the client secret of credential 'contoso-app' (client_id " + kSecretApp +
                           ") is wrong: copy the secret's Value (not its Secret ID) from the app registration's "
                           "Certificates & secrets page");
    EXPECT_EQ(message.find("wrong-secret-value"), std::string::npos);
}

TEST_F(TokenClientTest, AnExpiredSecretSaysToAddANewOne) {
    int code = 0;
    const std::string message = refusal(secret_credential(kExpiredApp, "old-secret"), kTenant, &code);
    EXPECT_EQ(code, 7000222);
    EXPECT_NE(message.find("has expired: add a new secret"), std::string::npos) << message;
}

TEST_F(TokenClientTest, AnUnknownApplicationOrTenantIsNamed) {
    int code = 0;
    std::string message = refusal(secret_credential("00000000-0000-0000-0000-0000000000ff", "x"), kTenant, &code);
    EXPECT_EQ(code, 700016);
    EXPECT_NE(message.find("is not registered in tenant " + kTenant), std::string::npos) << message;
    message = refusal(secret_credential(kSecretApp, "right-secret"), "22222222-2222-2222-2222-222222222222", &code);
    EXPECT_EQ(code, 90002);
    EXPECT_NE(message.find("tenant 22222222-2222-2222-2222-222222222222 does not exist in this cloud"),
              std::string::npos)
        << message;
}

TEST_F(TokenClientTest, AnUnregisteredCertificateIsRefusedWithAdvice) {
    const crypto::Key other_key = crypto::generate_rsa_key();
    crypto::CertificateRequest request;
    request.common_name = "not uploaded";
    const crypto::Certificate other = crypto::issue_certificate(request, other_key.get(), other_key.get(), nullptr);
    ClientCredential credential = certificate_credential(crypto::AssertionAlgorithm::ps256);
    credential.certificate_file = dir_->write("other.crt", crypto::certificate_to_pem(other.get()));
    credential.private_key_file = dir_->write("other.key", crypto::key_to_pem(other_key.get()));
    int code = 0;
    const std::string message = refusal(credential, kTenant, &code);
    EXPECT_EQ(code, 700027);
    EXPECT_NE(message.find("upload the certificate (certificate.cert) to the app registration"), std::string::npos)
        << message;
}

TEST_F(TokenClientTest, TheEmulatorRefusesAReplayedAssertion) {
    const crypto::Key key = crypto::load_private_key(key_file_);
    const crypto::Certificate certificate = crypto::load_certificate(cert_file_);
    const std::string assertion = crypto::make_client_assertion(
        {kCertApp, endpoints_.token_url(kTenant), crypto::random_uuid(), now() / 1000, 600}, key.get(),
        certificate.get(), crypto::AssertionAlgorithm::ps256);
    const std::string body = "grant_type=client_credentials&client_id=" + kCertApp +
                             "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_assertion_type=" +
                             form_escape("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                             "&client_assertion=" + assertion;
    EXPECT_EQ(client_->post_form(endpoints_.token_url(kTenant), body).status, 200);
    const HttpResponse replay = client_->post_form(endpoints_.token_url(kTenant), body);
    EXPECT_EQ(replay.status, 401);
    EXPECT_NE(replay.body.find("jti was already used"), std::string::npos) << replay.body;
    EXPECT_NE(replay.body.find("\"error_codes\":[700027]"), std::string::npos) << replay.body;
}

TEST_F(TokenClientTest, AnUntrustedServerIsATlsErrorNamingHostAndCaFile) {
    const crypto::Key key = crypto::generate_rsa_key();
    crypto::CertificateRequest request;
    request.common_name = "some other CA";
    request.is_ca = true;
    const crypto::Certificate other_ca = crypto::issue_certificate(request, key.get(), key.get(), nullptr);
    const std::string other_ca_file = dir_->write("other-ca.pem", crypto::certificate_to_pem(other_ca.get()));
    HttpsClient wrong_ca(HttpsOptions{other_ca_file});
    try {
        request_token(wrong_ca, endpoints_, kTenant, secret_credential(kSecretApp, "right-secret"), now());
        FAIL() << "the server's certificate was accepted without its CA";
    } catch (const TlsError& failure) {
        const std::string message = failure.what();
        EXPECT_NE(message.find("TLS with 127.0.0.1:" + std::to_string(emulator_->port()) + " failed"),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("the CA file in use is " + other_ca_file), std::string::npos) << message;
    }
    HttpsClient system_cas(HttpsOptions{});
    try {
        request_token(system_cas, endpoints_, kTenant, secret_credential(kSecretApp, "right-secret"), now());
        FAIL() << "the emulator's private CA is not among the system's";
    } catch (const TlsError& failure) {
        EXPECT_NE(std::string(failure.what()).find("set tls.ca_file"), std::string::npos) << failure.what();
    }
}

TEST(Clouds, PickHostsAndScopesAndHonourOverrides) {
    EXPECT_EQ(endpoints_for("global").token_url("t"), "https://login.microsoftonline.com/t/oauth2/v2.0/token");
    EXPECT_EQ(endpoints_for("global").scope(), "https://graph.microsoft.com/.default");
    EXPECT_EQ(endpoints_for("usgov").graph, "https://graph.microsoft.us");
    EXPECT_EQ(endpoints_for("usgov").scope(), "https://graph.microsoft.us/.default");
    EXPECT_EQ(endpoints_for("usgov_dod").graph, "https://dod-graph.microsoft.us");
    EXPECT_EQ(endpoints_for("usgov_dod").login, "https://login.microsoftonline.us");
    EXPECT_EQ(endpoints_for("china").login, "https://login.chinacloudapi.cn");
    EXPECT_EQ(endpoints_for("china").scope(), "https://microsoftgraph.chinacloudapi.cn/.default");
    const Endpoints overridden = endpoints_for("global", "https://127.0.0.1:8443/", "https://127.0.0.1:8443");
    EXPECT_EQ(overridden.token_url("t"), "https://127.0.0.1:8443/t/oauth2/v2.0/token");
    EXPECT_EQ(overridden.scope(), "https://graph.microsoft.com/.default");
}

}  // namespace
}  // namespace vigil::graph
