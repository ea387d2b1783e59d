#include "audit_endpoint.hpp"

#include "audit_data.hpp"

#include "crypto/base64url.hpp"
#include "emulator.hpp"
#include "graph_common.hpp"
#include "signin_filter.hpp"
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

void DirectoryAudits::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const auto caller = authorize(emulator_, request, response, {"AuditLog.Read.All"});
    if (!caller) return;
    const Tenant* tenant = caller->tenant;
    if (!within_limits(emulator_, *caller, Budget::reports, 1, response)) return;
    bool cut_page = false;
    if (play_faults(emulator_, *tenant, request, response, cut_page)) return;
    const auto query = read_list_query(request.getURI(), *tenant, response);
    if (!query) return;
    if (!query->orderby.empty() && query->orderby != "activityDateTime desc" &&
        query->orderby != "activityDateTime asc" && query->orderby != "activityDateTime") {
        send_graph_error(response, 400, "BadRequest", "$orderby is only supported on activityDateTime.");
        return;
    }
    const bool descending = query->orderby == "activityDateTime desc";
    const std::vector<DirectoryUser>& actors = emulator_.actors(tenant->id);
    const int top = query->top;
    const int64_t position = query->position.value_or(-1);  // 2 * record + copy: a duplicate is listed twice
    std::string error;
    const auto filter = parse_audit_filter(query->filter, error);
    if (!filter) {
        send_graph_error(response, 400, "BadRequest", error);
        return;
    }
    // Records are one second apart from the first: the filter's window is a range of record numbers.
    const auto number_at = [&](int64_t ms, bool up) {
        const int64_t offset = ms - tenant->audits_from_ms;
        return up ? (offset <= 0 ? 0 : (offset + 999) / 1000) : (offset < 0 ? -1 : offset / 1000);
    };
    const int64_t first = filter->from_ms == INT64_MIN ? 0 : number_at(filter->from_ms, true);
    const int64_t last = std::min<int64_t>(tenant->audit_records - 1,
                                           filter->to_ms == INT64_MAX ? INT64_MAX : number_at(filter->to_ms, false));
    std::string body = R"({"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits",)";
    const size_t value_at = body.size();
    body += R"("value":[)";
    int count = 0;
    int64_t next = -1;
    const int64_t step = descending ? -1 : 1;
    for (int64_t n = descending ? last : first; n >= first && n <= last && next < 0; n += step) {
        const int64_t time_ms = GraphEmulator::audit_time_ms(*tenant, static_cast<int>(n));
        if (!emulator_.visible(*tenant, static_cast<int>(n), time_ms)) continue;
        for (int copy = 0; copy < GraphEmulator::copies(*tenant, static_cast<int>(n)); ++copy) {
            const int64_t here = 2 * n + copy;
            if (position >= 0 && (descending ? here > position : here < position)) continue;  // before the page
            if (count == top) {
                next = here;
                break;
            }
            if (count++ > 0) body += ',';
            append_audit(body, *tenant, static_cast<int>(n), time_ms, actors);
        }
    }
    body += "]}";
    if (next >= 0) {
        body.insert(value_at, "\"@odata.nextLink\":\"" +
                                  next_link(emulator_, "/v1.0/auditLogs/directoryAudits", *query, next) + "\",");
    }
    send_page(emulator_, request, response, body, cut_page);
}

}  // namespace vigil::emulator
