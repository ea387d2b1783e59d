#include "emulator.hpp"

#include "audit_endpoint.hpp"
#include "crypto/base64url.hpp"
#include "crypto/certificate.hpp"
#include "signin_endpoint.hpp"
#include "token_endpoint.hpp"
#include "util/wall_clock.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>

#include <openssl/rand.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>

namespace vigil::emulator {

int64_t now_ms() {
    return wall_clock_ms();
}

namespace {

void write_file(const std::string& path, const std::string& content) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

// A CA of its own and a loopback server certificate signed by it, written to state_dir.
std::string make_tls_material(const std::string& state_dir) {
    std::filesystem::create_directories(state_dir);
    const crypto::Key ca_key = crypto::generate_rsa_key();
    crypto::CertificateRequest ca_request;
    ca_request.common_name = "Vigil Graph emulator CA";
    ca_request.days = 30;
    ca_request.is_ca = true;
    const crypto::Certificate ca = crypto::issue_certificate(ca_request, ca_key.get(), ca_key.get(), nullptr);
    const crypto::Key server_key = crypto::generate_rsa_key();
    crypto::CertificateRequest server_request;
    server_request.common_name = "localhost";
    server_request.days = 30;
    server_request.dns_names = {"localhost"};
    server_request.ip_addresses = {"127.0.0.1"};
    const crypto::Certificate server =
        crypto::issue_certificate(server_request, server_key.get(), ca_key.get(), ca.get());
    write_file(state_dir + "/ca.pem", crypto::certificate_to_pem(ca.get()));
    write_file(state_dir + "/server.pem", crypto::certificate_to_pem(server.get()));
    write_file(state_dir + "/server.key", crypto::key_to_pem(server_key.get()));
    std::filesystem::permissions(state_dir + "/server.key",
                                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    return state_dir + "/ca.pem";
}

class NotFound : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
        response.setStatus(Poco::Net::HTTPResponse::HTTP_NOT_FOUND);
        response.setContentType("application/json");
        response.send() << R"({"error":{"code":"Request_ResourceNotFound","message":"Resource not found."}})";
    }
};

// Logs every request with the status its handler set, then delegates.
class Logged : public Poco::Net::HTTPRequestHandler {
public:
    Logged(GraphEmulator& emulator, Poco::Net::HTTPRequestHandler* inner) : emulator_(emulator), inner_(inner) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        const int64_t arrived_ms = now_ms();  // when the client sent it, not when the handler was done
        inner_->handleRequest(request, response);
        emulator_.log(
            LoggedRequest{request.getMethod(), request.getURI(), static_cast<int>(response.getStatus()), arrived_ms});
    }

private:
    GraphEmulator& emulator_;
    std::unique_ptr<Poco::Net::HTTPRequestHandler> inner_;
};

class Router : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Router(GraphEmulator& emulator) : emulator_(emulator) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override {
        static const std::regex token_path("^/([^/?]+)/oauth2/v2\\.0/token$");
        std::smatch match;
        const std::string path = request.getURI().substr(0, request.getURI().find('?'));
        if (std::regex_match(path, match, token_path))
            return new Logged(emulator_, new TokenEndpoint(emulator_, match[1]));
        if (path == "/v1.0/auditLogs/directoryAudits") return new Logged(emulator_, new DirectoryAudits(emulator_));
        if (path == "/v1.0/auditLogs/signIns") return new Logged(emulator_, new SignIns(emulator_, false));
        if (path == "/beta/auditLogs/signIns") return new Logged(emulator_, new SignIns(emulator_, true));
        return new Logged(emulator_, new NotFound());
    }

private:
    GraphEmulator& emulator_;
};

}  // namespace

GraphEmulator::GraphEmulator(Options options) : options_(std::move(options)) {
    for (const Tenant& tenant : options_.scenario.tenants) signins_[tenant.id] = generate_signins(tenant);
    ca_file_ = make_tls_material(options_.state_dir);
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::SERVER_USE, options_.state_dir + "/server.key",
                               options_.state_dir + "/server.pem", "", Poco::Net::Context::VERIFY_NONE);
    Poco::Net::SecureServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", options_.port), 64, context);
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(true);
    params->setMaxThreads(8);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Router(*this), socket, params);
    server_->start();
    started_ms_ = now_ms();  // late records count from when the emulator serves, not from key generation
}

GraphEmulator::~GraphEmulator() {
    server_->stopAll(true);
}

std::vector<LoggedRequest> GraphEmulator::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

void GraphEmulator::log(LoggedRequest request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(std::move(request));
}

std::string GraphEmulator::issue_token(const std::string& tenant_id, const std::string& client_id, int64_t lifetime_s) {
    unsigned char random[24];
    RAND_bytes(random, sizeof(random));
    const std::string token = "emulated." + crypto::base64url_encode(std::string(reinterpret_cast<char*>(random), 24));
    std::lock_guard lock(mutex_);
    tokens_.emplace_back(token, IssuedToken{tenant_id, client_id, now_ms() + lifetime_s * 1000});
    return token;
}

bool GraphEmulator::holder_of_token(const std::string& token, const Tenant*& tenant,
                                    const Application*& application) const {
    std::lock_guard lock(mutex_);
    for (const auto& [value, issued] : tokens_) {
        if (value != token || issued.expires_at_ms <= now_ms()) continue;
        tenant = options_.scenario.find_tenant(issued.tenant_id);
        application = nullptr;
        for (const auto& app : tenant->applications) {
            if (app.client_id == issued.client_id) application = &app;
        }
        return application != nullptr;
    }
    return false;
}

void GraphEmulator::revoke_tokens() {
    std::lock_guard lock(mutex_);
    tokens_.clear();
}

int GraphEmulator::count_request(const std::string& tenant_id) {
    std::lock_guard lock(mutex_);
    return ++request_counts_[tenant_id];
}

std::vector<std::string> GraphEmulator::audit_ids(const std::string& tenant_id) const {
    std::vector<std::string> ids;
    if (const Tenant* tenant = options_.scenario.find_tenant(tenant_id)) {
        for (int n = 0; n < tenant->audit_records; ++n) ids.push_back(audit_id(*tenant, n));
    }
    return ids;
}

const std::vector<SignInRecord>& GraphEmulator::signins(const std::string& tenant_id) const {
    static const std::vector<SignInRecord> none;
    const auto it = signins_.find(tenant_id);
    return it == signins_.end() ? none : it->second;
}

bool GraphEmulator::remember_assertion(const std::string& jwt_id) {
    std::lock_guard lock(mutex_);
    return assertion_ids_.insert(jwt_id).second;
}

}  // namespace vigil::emulator
