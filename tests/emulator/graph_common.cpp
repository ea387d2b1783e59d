#include "graph_common.hpp"

#include "emulator.hpp"
#include "util/json_text.hpp"

#include <Poco/DeflatingStream.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>

namespace vigil::emulator {

void send_graph_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                      const std::string& message) {
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json");
    std::string body = R"({"error":{"code":)";
    append_json_string(body, code);
    body += R"(,"message":)";
    append_json_string(body, message);
    body += R"(,"innerError":{"request-id":"00000000-0000-0000-0000-000000000000"}}})";
    response.send() << body;
}

bool authorize(GraphEmulator& emulator, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               const std::string& permission, const Tenant*& tenant) {
    const std::string authorization = request.get("Authorization", "");
    const Application* application = nullptr;
    if (authorization.rfind("Bearer ", 0) != 0 ||
        !emulator.holder_of_token(authorization.substr(7), tenant, application)) {
        send_graph_error(response, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
        return false;
    }
    if (!application->has_permission(permission)) {
        send_graph_error(response, 403, "Authorization_RequestDenied",
                         "Insufficient privileges to complete the operation.");
        return false;
    }
    return true;
}

bool play_faults(GraphEmulator& emulator, const Tenant& tenant, Poco::Net::HTTPServerRequest& request,
                 Poco::Net::HTTPServerResponse& response, bool& cut_page) {
    const int count = emulator.count_request(tenant.id);
    const Faults& faults = tenant.faults;
    const auto every = [&](int n) { return n > 0 && count % n == 0; };
    if (every(faults.reset_every)) {
        // SO_LINGER 0 then close: the client sees a reset, not a clean end of stream.
        Poco::Net::StreamSocket& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
        socket.setLinger(true, 0);
        socket.close();
        return true;
    }
    if (every(faults.throttle_every)) {
        response.set("Retry-After", faults.retry_after);
        send_graph_error(response, 429, "TooManyRequests", "Please retry again later.");
        return true;
    }
    if (every(faults.unavailable_every)) {
        send_graph_error(response, 503, "ServiceUnavailable", "The service is temporarily unavailable.");
        return true;
    }
    cut_page = every(faults.malformed_every);
    return false;
}

void send_page(GraphEmulator& emulator, Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::string& body, bool cut_page) {
    if (cut_page) body.resize(body.size() / 2);  // a page cut short mid-record
    response.setContentType("application/json; odata.metadata=minimal");
    if (emulator.scenario().gzip && request.get("Accept-Encoding", "").find("gzip") != std::string::npos) {
        response.set("Content-Encoding", "gzip");
        std::ostream& out = response.send();
        Poco::DeflatingOutputStream gzip(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 1);
        gzip << body;
        gzip.close();
    } else {
        response.setContentLength64(body.size());
        response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
    }
}

}  // namespace vigil::emulator
