#include "audit_endpoint.hpp"

#include "crypto/base64url.hpp"
#include "emulator.hpp"
#include "graph_common.hpp"
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
    const Tenant* tenant = nullptr;
    if (!authorize(emulator_, request, response, "AuditLog.Read.All", tenant)) return;
    bool cut_page = false;
    if (play_faults(emulator_, *tenant, request, response, cut_page)) return;
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
    send_page(emulator_, request, response, body, cut_page);
}

}  // namespace vigil::emulator
