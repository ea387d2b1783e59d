#include "emulator.hpp"

#include "audit_data.hpp"
#include "audit_endpoint.hpp"
#include "crypto/base64url.hpp"
#include "crypto/certificate.hpp"
#include "delta_endpoint.hpp"
#include "directory_endpoint.hpp"
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
#include <cstdio>
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

}  // namespace

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

namespace {

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
        try {
            inner_->handleRequest(request, response);
        } catch (const std::exception& failure) {
            // An emulator bug: say so, rather than the silent drop Poco would make of it.
            std::fprintf(stderr, "graph-emulator: %s %s: %s\n", request.getMethod().c_str(), request.getURI().c_str(),
                         failure.what());
            if (!response.sent()) {
                response.setStatus(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
                response.send() << R"({"error":{"code":"EmulatorFault","message":"see the emulator's stderr"}})";
            }
        }
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
        static const std::regex delta_path("^/(v1\\.0|beta)/(users|groups)/delta$");
        if (std::regex_match(path, match, delta_path)) {
            const auto resource = match[2] == "users" ? DeltaQuery::Resource::users : DeltaQuery::Resource::groups;
            return new Logged(emulator_, new DeltaQuery(emulator_, resource, match[1]));
        }
        if (auto* listing = DirectoryListing::for_path(emulator_, path)) return new Logged(emulator_, listing);
        return new Logged(emulator_, new NotFound());
    }

private:
    GraphEmulator& emulator_;
};

}  // namespace

GraphEmulator::GraphEmulator(Options options) : options_(std::move(options)) {
    const int64_t start_ms = now_ms();
    for (Tenant& tenant : options_.scenario.tenants) {
        if (tenant.records_from_offset_ms) tenant.records_from_ms = start_ms + *tenant.records_from_offset_ms;
        if (tenant.records_from_ms == INT64_MIN) {  // each series ends now
            tenant.audits_from_ms = start_ms - int64_t{tenant.audit_records} * 1000;
            tenant.signins_from_ms = start_ms - int64_t{tenant.signin_records} * 500;
        } else {
            tenant.audits_from_ms = tenant.records_from_ms;
            tenant.signins_from_ms = tenant.records_from_ms;
        }
        directories_[tenant.id] = Directory::generate(tenant, start_ms);
        directories_[tenant.id]->read([&](const Directory& directory) { actors_[tenant.id] = directory.users(); });
        if (actors_[tenant.id].empty()) actors_[tenant.id] = generate_users(tenant, 100, start_ms);
        signins_[tenant.id] = generate_signins(tenant, actors_[tenant.id]);
    }
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
    tokens_.emplace_back(
        token, IssuedToken{tenant_id, client_id, now_ms() + lifetime_s * 1000, options_.scenario.token_valid_ms});
    return token;
}

bool GraphEmulator::holder_of_token(const std::string& token, const Tenant*& tenant, const Application*& application) {
    std::lock_guard lock(mutex_);
    const int64_t now = now_ms();
    for (auto& [value, issued] : tokens_) {
        if (value != token || issued.expires_at_ms <= now) continue;
        if (issued.valid_after_first_use_ms > 0) {
            if (issued.first_used_ms == 0) issued.first_used_ms = now;
            if (now - issued.first_used_ms >= issued.valid_after_first_use_ms) continue;
        }
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

int64_t GraphEmulator::charge(const std::string& key, int cost, int limit, int64_t window_ms) {
    const int64_t now = now_ms();
    std::lock_guard lock(mutex_);
    auto& window = usage_[key];
    while (!window.empty() && window.front().first <= now - window_ms) window.pop_front();
    int used = 0;
    for (const auto& [time, spent] : window) used += spent;
    window.emplace_back(now, cost);
    if (used + cost <= limit) return 0;
    // This refused request stays charged, so a retry fits once enough has aged out to hold it and the retry.
    int freed = 0;
    for (const auto& [time, spent] : window) {
        freed += spent;
        if (used + cost - freed + cost <= limit) return std::max<int64_t>(1, time + window_ms - now);
    }
    return window_ms;
}

Directory& GraphEmulator::directory(const std::string& tenant_id) {
    const Tenant* tenant = options_.scenario.find_tenant(tenant_id);
    if (tenant == nullptr) throw std::invalid_argument("no emulated tenant " + tenant_id);
    return *directories_.at(tenant->id);
}

std::shared_ptr<const GraphEmulator::RoundEntries> GraphEmulator::delta_round(
    const std::string& key, const std::function<RoundEntries()>& render) {
    {
        std::lock_guard lock(mutex_);
        for (const auto& [round, entries] : delta_rounds_) {
            if (round == key) return entries;
        }
    }
    auto entries = std::make_shared<const RoundEntries>(render());
    std::lock_guard lock(mutex_);
    delta_rounds_.emplace_back(key, entries);
    if (delta_rounds_.size() > 4) delta_rounds_.pop_front();
    return entries;
}

bool GraphEmulator::remember_assertion(const std::string& jwt_id) {
    std::lock_guard lock(mutex_);
    return assertion_ids_.insert(jwt_id).second;
}

}  // namespace vigil::emulator
