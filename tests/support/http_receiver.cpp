#include "support/http_receiver.hpp"

#include "emulator.hpp"

#include <Poco/InflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>

#include <cctype>
#include <sstream>

namespace vigil::test {

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(HttpReceiver& receiver) : receiver_(receiver) {}
    void handleRequest(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) override {
        HttpReceiver::Request request;
        request.path = in.getURI();
        for (const auto& [name, value] : in) {
            std::string lower = name;
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            request.headers[lower] = value;
        }
        std::string wire;
        Poco::StreamCopier::copyToString(in.stream(), wire);
        request.wire_bytes = wire.size();
        const auto encoding = request.headers.find("content-encoding");
        if (encoding != request.headers.end() && encoding->second == "gzip") {
            std::istringstream compressed(wire);
            Poco::InflatingInputStream inflater(compressed, Poco::InflatingStreamBuf::STREAM_GZIP);
            Poco::StreamCopier::copyToString(inflater, request.body);
        } else {
            request.body = wire;
        }
        int status = 200;
        std::string body;
        int retry_after_s = -1;
        receiver_.handle(std::move(request), status, body, retry_after_s);
        out.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        if (retry_after_s >= 0) out.set("Retry-After", std::to_string(retry_after_s));
        out.setContentType("application/json");
        out.sendBuffer(body.data(), body.size());
    }

private:
    HttpReceiver& receiver_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(HttpReceiver& receiver) : receiver_(receiver) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(receiver_);
    }

private:
    HttpReceiver& receiver_;
};

std::string value_after(const std::string& text, const std::string& key, size_t& at) {
    at = text.find(key, at);
    if (at == std::string::npos) return {};
    at += key.size();
    const size_t end = text.find('"', at);
    std::string value = text.substr(at, end - at);
    at = end;
    return value;
}

}  // namespace

std::vector<std::string> record_ids(const std::string& text) {
    std::vector<std::string> ids;
    for (size_t at = 0;;) {
        std::string id = value_after(text, "\"id\":\"", at);
        if (at == std::string::npos) return ids;
        ids.push_back(std::move(id));
    }
}

HttpReceiver::HttpReceiver(const std::string& tls_dir) : tls_dir_(tls_dir) {
    if (!tls_dir_.empty()) ca_file_ = emulator::make_tls_material(tls_dir_);
}

HttpReceiver::~HttpReceiver() {
    stop();
}

void HttpReceiver::start() {
    const Poco::Net::SocketAddress address("127.0.0.1", port_);
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (!tls_dir_.empty()) {
        Poco::Net::Context::Ptr context =
            new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, tls_dir_ + "/server.key",
                                   tls_dir_ + "/server.pem", "", Poco::Net::Context::VERIFY_NONE);
        socket = std::make_unique<Poco::Net::SecureServerSocket>(context);
    } else {
        socket = std::make_unique<Poco::Net::ServerSocket>();
    }
    socket->bind(address, true);
    socket->listen();
    port_ = socket->address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    threads_ = std::make_unique<Poco::ThreadPool>(1, 4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), *threads_, *socket, params);
    server_->start();
}

void HttpReceiver::stop() {
    if (!server_) return;
    server_->stopAll(true);  // and close the connections kept alive
    // The connection threads unhook themselves from the server as they end: let them, before it goes.
    threads_->joinAll();
    server_.reset();
    threads_.reset();
}

std::string HttpReceiver::url(const std::string& path) const {
    return std::string(tls_dir_.empty() ? "http" : "https") + "://localhost:" + std::to_string(port_) + path;
}

void HttpReceiver::fail_next(int count, int status, int retry_after_s) {
    std::lock_guard lock(mutex_);
    fail_count_ = count;
    fail_status_ = status;
    fail_retry_after_s_ = retry_after_s;
}

std::vector<HttpReceiver::Request> HttpReceiver::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::vector<std::string> HttpReceiver::accepted_ids() const {
    std::lock_guard lock(mutex_);
    return accepted_;
}

void HttpReceiver::handle(Request request, int& status, std::string& response_body, int& retry_after_s) {
    std::lock_guard lock(mutex_);
    if (fail_count_ > 0) {
        --fail_count_;
        status = fail_status_;
        retry_after_s = fail_retry_after_s_;
        response_body = R"({"error":"failing on purpose"})";
    } else if (!bulk_) {
        status = 200;
        response_body = R"({"text":"Success","code":0})";
        for (auto& id : record_ids(request.body)) accepted_.push_back(std::move(id));
    } else {
        // Lines alternate: {"create":{"_index":..,"_id":..}} then the document.
        status = 200;
        std::string items;
        bool errors = false;
        std::istringstream lines(request.body);
        std::string action;
        std::string document;
        while (std::getline(lines, action) && std::getline(lines, document)) {
            size_t at = 0;
            const std::string id = value_after(action, "\"_id\":\"", at);
            int item_status = 201;
            std::string error;
            if (refused_.count(id) != 0) {
                item_status = 400;
                error = R"(,"error":{"type":"mapper_parsing_exception","reason":"failed to parse field [details]"})";
            } else if (throttled_.erase(id) != 0) {
                item_status = 429;
                error = R"(,"error":{"type":"es_rejected_execution_exception","reason":"queue full"})";
            } else if (!documents_.insert(id).second) {
                item_status = 409;
                error = R"(,"error":{"type":"version_conflict_engine_exception","reason":"document already exists"})";
            } else {
                accepted_.push_back(id);
            }
            errors = errors || item_status >= 300;
            if (!items.empty()) items += ',';
            items += R"({"create":{"_index":"vigil-events","_id":")" + id + R"(","status":)" +
                     std::to_string(item_status) + error + "}}";
        }
        response_body =
            std::string(R"({"took":3,"errors":)") + (errors ? "true" : "false") + R"(,"items":[)" + items + "]}";
    }
    request.status = status;
    requests_.push_back(std::move(request));
}

}  // namespace vigil::test
