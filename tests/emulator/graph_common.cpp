#include "graph_common.hpp"

#include "crypto/base64url.hpp"
#include "emulator.hpp"
#include "util/json_text.hpp"

#include <Poco/DeflatingStream.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/URI.h>
#include <sys/socket.h>

#include <cstdio>

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

std::optional<Caller> authorize(GraphEmulator& emulator, Poco::Net::HTTPServerRequest& request,
                                Poco::Net::HTTPServerResponse& response, const std::vector<const char*>& any_of) {
    const std::string authorization = request.get("Authorization", "");
    Caller caller;
    if (authorization.rfind("Bearer ", 0) != 0 ||
        !emulator.holder_of_token(authorization.substr(7), caller.tenant, caller.application)) {
        send_graph_error(response, 401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
        return std::nullopt;
    }
    for (const char* permission : any_of) {
        if (caller.application->has_permission(permission)) return caller;
    }
    send_graph_error(response, 403, "Authorization_RequestDenied",
                     "Insufficient privileges to complete the operation.");
    return std::nullopt;
}

bool within_limits(GraphEmulator& emulator, const Caller& caller, Budget budget, int cost,
                   Poco::Net::HTTPServerResponse& response) {
    const bool reports = budget == Budget::reports;
    if (!reports) response.set("x-ms-resource-unit", std::to_string(cost));
    const int limit = reports ? caller.tenant->limits.report_requests : caller.tenant->limits.resource_units;
    if (limit <= 0) return true;
    const std::string key = caller.tenant->id + "/" + caller.application->client_id + (reports ? "/r" : "/d");
    const int64_t wait_ms = emulator.charge(key, reports ? 1 : cost, limit, caller.tenant->limits.window_ms);
    if (wait_ms == 0) return true;
    char seconds[32];
    std::snprintf(seconds, sizeof(seconds), "%.3f", static_cast<double>(wait_ms) / 1000.0);
    response.set("Retry-After", seconds);
    response.set("x-ms-throttle-scope",
                 "Tenant_Application/Read/" + caller.application->client_id + "/" + caller.tenant->id);
    if (!reports) response.set("x-ms-throttle-information", "ResourceUnitLimitExceeded");
    send_graph_error(response, 429, "TooManyRequests", "Please retry again later.");
    return false;
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
    if (every(faults.drop_every)) {
        // Both directions shut at the TCP level, no TLS close_notify: the client reads an unexpected end of stream,
        // as when a server or proxy drops a connection mid-exchange.
        ::shutdown(static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().impl()->sockfd(), SHUT_RDWR);
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

std::optional<ListQuery> read_list_query(const std::string& uri, const Tenant& tenant,
                                         Poco::Net::HTTPServerResponse& response, PageSizes sizes) {
    ListQuery query;
    query.top = sizes.default_top;
    for (const auto& [name, value] : Poco::URI(uri).getQueryParameters()) {
        if (name == "$top") query.top = std::stoi(value);
        if (name == "$filter") query.filter = value;
        if (name == "$orderby") query.orderby = value;
        if (name == "$select") query.select = value;
        if (name == "$skiptoken") {
            // "position:issued_ms", opaque to clients.
            const std::string token = crypto::base64url_decode(value).value_or("0:0");
            query.position = std::stoll(token.substr(0, token.find(':')));
            const int64_t issued_ms = std::stoll(token.substr(token.find(':') + 1));
            if (tenant.link_ttl_ms > 0 && now_ms() - issued_ms > tenant.link_ttl_ms) {
                send_graph_error(response, 400, "", "Invalid Skip Token");
                return std::nullopt;
            }
        }
        if (name == "$skip") {
            send_graph_error(response, 400, "BadRequest", "Query option 'Skip' is not allowed.");
            return std::nullopt;
        }
    }
    if (query.top < 1 || query.top > sizes.max_top) {
        send_graph_error(response, 400, "BadRequest",
                         "Invalid page size specified: '" + std::to_string(query.top) + "'.");
        return std::nullopt;
    }
    return query;
}

std::string next_link(const GraphEmulator& emulator, const std::string& path, const ListQuery& query,
                      int64_t position) {
    const auto encoded = [](const std::string& text) {
        std::string out;
        Poco::URI::encode(text, "&=+?#/:'() ", out);
        return out;
    };
    std::string link = emulator.base_url() + path + "?$top=" + std::to_string(query.top);
    if (!query.filter.empty()) link += "&$filter=" + encoded(query.filter);
    if (!query.orderby.empty()) link += "&$orderby=" + encoded(query.orderby);
    if (!query.select.empty()) link += "&$select=" + encoded(query.select);
    return link + "&$skiptoken=" + crypto::base64url_encode(std::to_string(position) + ":" + std::to_string(now_ms()));
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
        // One write of the whole page, as a server sends it: full-size TLS records, not one per 4 kB stream buffer.
        response.sendBuffer(body.data(), body.size());
    }
}

}  // namespace vigil::emulator
