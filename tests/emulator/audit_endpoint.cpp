#include "audit_endpoint.hpp"

#include "crypto/base64url.hpp"
#include "emulator.hpp"
#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

#include <Poco/DeflatingStream.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>

#include <cstdio>

namespace vigil::emulator {

namespace {

constexpr int64_t kFirstAuditMs = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

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

// A directoryAudit with Graph's property names and nesting, including what makes normalizers earn their keep:
// unicode and quotes in names, JSON-encoded old and new values.
void append_audit(std::string& out, const Tenant& tenant, int n) {
    out += R"({"id":")" + audit_id(tenant, n) + R"(","category":"UserManagement","correlationId":"c)" +
           std::to_string(n) + R"(","result":"success","resultReason":"","activityDisplayName":"Update user",)";
    out += R"("activityDateTime":")";
    append_rfc3339_ms(out, kFirstAuditMs + static_cast<int64_t>(n) * 1000);
    out += R"(","loggedByService":"Core Directory","operationType":"Update",)";
    out += R"("initiatedBy":{"app":null,"user":{"id":"u1","displayName":"Zoë \"Admin\" Åberg",)";
    out += R"("userPrincipalName":"admin@)" + tenant.domain + R"(","ipAddress":"203.0.113.7"}},)";
    out += R"("targetResources":[{"id":"t)" + std::to_string(n) + R"(","displayName":"User )" + std::to_string(n) +
           R"(","type":"User","userPrincipalName":"user)" + std::to_string(n) + "@" + tenant.domain +
           R"(","modifiedProperties":[{"displayName":"Department",)";
    out += R"("oldValue":"[\"Sales\"]","newValue":"[\"Marketing\"]"}]}],"additionalDetails":[]})";
}

}  // namespace

std::string audit_id(const Tenant& tenant, int n) {
    char id[96];
    std::snprintf(id, sizeof(id), "Directory_%s_%08d", tenant.id.substr(0, 8).c_str(), n);
    return id;
}

void DirectoryAudits::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const std::string authorization = request.get("Authorization", "");
    const Tenant* tenant = nullptr;
    const Application* application = nullptr;
    if (authorization.rfind("Bearer ", 0) != 0 ||
        !emulator_.holder_of_token(authorization.substr(7), tenant, application)) {
        send_graph_error(response, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
        return;
    }
    if (!application->has_permission("AuditLog.Read.All")) {
        send_graph_error(response, 403, "Authorization_RequestDenied",
                         "Insufficient privileges to complete the operation.");
        return;
    }
    const int count = emulator_.count_request(tenant->id);
    if (tenant->faults.throttle_every > 0 && count % tenant->faults.throttle_every == 0) {
        response.set("Retry-After", tenant->faults.retry_after);
        send_graph_error(response, 429, "TooManyRequests", "Please retry again later.");
        return;
    }
    if (tenant->faults.reset_every > 0 && count % tenant->faults.reset_every == 0) {
        // SO_LINGER 0 then close: the client sees a reset, not a clean end of stream.
        Poco::Net::StreamSocket& socket = static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
        socket.setLinger(true, 0);
        socket.close();
        return;
    }
    if (tenant->faults.unavailable_every > 0 && count % tenant->faults.unavailable_every == 0) {
        send_graph_error(response, 503, "ServiceUnavailable", "The service is temporarily unavailable.");
        return;
    }
    const Poco::URI uri(request.getURI());
    int top = 1000;
    int offset = 0;
    for (const auto& [name, value] : uri.getQueryParameters()) {
        if (name == "$top") top = std::stoi(value);
        if (name == "$skiptoken") offset = std::stoi(crypto::base64url_decode(value).value_or("0"));
    }
    if (top < 1 || top > 1000) {
        send_graph_error(response, 400, "BadRequest", "Invalid page size specified: '" + std::to_string(top) + "'.");
        return;
    }
    const int end = std::min(tenant->audit_records, offset + top);
    std::string body = R"({"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits",)";
    if (end < tenant->audit_records) {
        body += R"("@odata.nextLink":")" + emulator_.base_url() +
                "/v1.0/auditLogs/directoryAudits?$top=" + std::to_string(top) +
                "&$skiptoken=" + crypto::base64url_encode(std::to_string(end)) + R"(",)";
    }
    body += R"("value":[)";
    for (int n = offset; n < end; ++n) {
        if (n > offset) body += ',';
        append_audit(body, *tenant, n);
    }
    body += "]}";
    if (tenant->faults.malformed_every > 0 && count % tenant->faults.malformed_every == 0) {
        body.resize(body.size() / 2);  // a page cut short mid-record
    }
    response.setContentType("application/json; odata.metadata=minimal");
    if (request.get("Accept-Encoding", "").find("gzip") != std::string::npos) {
        response.set("Content-Encoding", "gzip");
        std::ostream& out = response.send();
        Poco::DeflatingOutputStream gzip(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
        gzip << body;
        gzip.close();
    } else {
        response.setContentLength64(body.size());
        response.send() << body;
    }
}

}  // namespace vigil::emulator
