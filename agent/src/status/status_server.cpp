#include "status/status_server.hpp"

#include "status/status_formats.hpp"
#include "util/listen_address.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace vigil {

namespace {

using Poco::Net::HTTPResponse;

// Constant time for equal lengths: how much of a guess matched does not show in the answer's timing.
bool same_token(const std::string& given, const std::string& expected) {
    return given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

class StatusHandler : public Poco::Net::HTTPRequestHandler {
public:
    StatusHandler(const std::string& token, const StatusServer::SnapshotFn& snapshot)
        : token_(token), snapshot_(snapshot) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
        try {
            answer(request, response);
        } catch (const std::exception& failure) {
            // The agent keeps collecting whatever a status request meets; the caller gets a 500 that says why.
            spdlog::warn("status endpoint: {} {} failed: {}", request.getMethod(), request.getURI(), failure.what());
            if (!response.sent())
                send(response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "text/plain",
                     std::string("error: ") + failure.what() + "\n");
        }
    }

private:
    void answer(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
        if (!token_.empty()) {
            const std::string authorization = request.get("Authorization", "");
            if (authorization.rfind("Bearer ", 0) != 0 || !same_token(authorization.substr(7), token_)) {
                response.set("WWW-Authenticate", "Bearer realm=\"vigil\"");
                return send(response, HTTPResponse::HTTP_UNAUTHORIZED, "text/plain",
                            "a bearer token is required (agent.status.token)\n");
            }
        }
        if (request.getMethod() != "GET" && request.getMethod() != "HEAD") {
            response.set("Allow", "GET, HEAD");
            return send(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED, "text/plain", "GET or HEAD only\n");
        }
        std::string path = request.getURI();
        path = path.substr(0, path.find('?'));
        const bool head = request.getMethod() == "HEAD";
        if (path == "/healthz") {
            std::string reason;
            const bool ok = healthy(snapshot_(), reason);
            return send(response, ok ? HTTPResponse::HTTP_OK : HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "text/plain",
                        ok ? "ok\n" : reason + "\n", head);
        }
        if (path == "/metrics") {
            return send(response, HTTPResponse::HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
                        prometheus_metrics(snapshot_()), head);
        }
        if (path == "/status") {
            return send(response, HTTPResponse::HTTP_OK, "application/json", status_json(snapshot_()), head);
        }
        send(response, HTTPResponse::HTTP_NOT_FOUND, "text/plain", "not found: try /healthz, /metrics or /status\n",
             head);
    }

    static void send(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status, const std::string& type,
                     const std::string& body, bool head = false) {
        response.setStatus(status);
        response.setContentType(type);
        response.set("Cache-Control", "no-store");
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        if (head) {
            response.send();
        } else {
            response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
        }
    }

    const std::string& token_;
    const StatusServer::SnapshotFn& snapshot_;
};

class StatusHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    StatusHandlerFactory(std::string token, StatusServer::SnapshotFn snapshot)
        : token_(std::move(token)), snapshot_(std::move(snapshot)) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new StatusHandler(token_, snapshot_);
    }

private:
    std::string token_;
    StatusServer::SnapshotFn snapshot_;
};

}  // namespace

StatusServer::StatusServer(const std::string& listen, std::string token, SnapshotFn snapshot) {
    const auto address = parse_listen_address(listen);
    if (!address) throw std::runtime_error("agent.status.listen '" + listen + "' is not HOST:PORT");
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(address->host, address->port), true);
        socket.listen(16);
    } catch (const Poco::Exception& failure) {
        throw std::runtime_error("the status endpoint cannot listen on " + listen + ": " + failure.displayText() +
                                 " (another process may hold the port: change agent.status.listen)");
    }
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;  // the server owns it
    params->setMaxThreads(2);
    params->setMaxQueued(16);
    params->setKeepAlive(false);
    params->setTimeout(Poco::Timespan(10, 0));
    threads_ = std::make_unique<Poco::ThreadPool>(1, 2);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new StatusHandlerFactory(std::move(token), std::move(snapshot)),
                                                      *threads_, socket, params);
    server_->start();
    spdlog::info("status endpoint on http://{}:{} (/healthz, /metrics, /status)", address->host, port_);
}

StatusServer::~StatusServer() {
    server_->stopAll(true);
    threads_->joinAll();
    server_.reset();
}

}  // namespace vigil
