#include "signin_endpoint.hpp"

#include "crypto/base64url.hpp"
#include "emulator.hpp"
#include "graph_common.hpp"
#include "signin_filter.hpp"

#include <Poco/URI.h>

#include <algorithm>

namespace vigil::emulator {

namespace {

bool matches(const SignInRecord& record, const SignInFilter& filter) {
    return record.time_ms >= filter.from_ms && record.time_ms <= filter.to_ms &&
           (!filter.error_code || *filter.error_code == record.error_code) &&
           filter.event_types.count(record.event_type) > 0;
}

}  // namespace

void SignIns::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const auto caller = authorize(emulator_, request, response, {"AuditLog.Read.All"});
    if (!caller) return;
    const Tenant* tenant = caller->tenant;
    if (!within_limits(emulator_, *caller, Budget::reports, 1, response)) return;
    if (!tenant->premium) {
        send_graph_error(response, 403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                         "Neither tenant is B2C or tenant doesn't have premium license");
        return;
    }
    bool cut_page = false;
    if (play_faults(emulator_, *tenant, request, response, cut_page)) return;

    const auto query = read_list_query(request.getURI(), *tenant, response);
    if (!query) return;
    const int top = query->top;
    const bool resumed = query->position.has_value();
    size_t start = resumed ? static_cast<size_t>(*query->position) : 0;
    std::string error;
    const auto filter = parse_signin_filter(query->filter, beta_, error);
    if (!filter) {
        send_graph_error(response, 400, "BadRequest", error);
        return;
    }
    const std::vector<SignInRecord>& records = emulator_.signins(tenant->id);
    if (!resumed) {
        // Newest first: skip what is newer than the window's end. start counts positions: two per record.
        const auto first = std::partition_point(records.begin(), records.end(),
                                                [&](const SignInRecord& r) { return r.time_ms > filter->to_ms; });
        start = 2 * static_cast<size_t>(first - records.begin());
    }
    std::string body;
    body.reserve(static_cast<size_t>(top) * 1600 + 512);
    body += R"({"@odata.context":"https://graph.microsoft.com/)";
    body += beta_ ? "beta" : "v1.0";
    body += R"(/$metadata#auditLogs/signIns",)";
    const size_t value_at = body.size();
    body += R"("value":[)";
    // Positions count copies: a duplicated record is listed twice, and a page may end between its two copies.
    int count = 0;
    int64_t next = -1;
    for (size_t i = start / 2; i < records.size() && records[i].time_ms >= filter->from_ms && next < 0; ++i) {
        const SignInRecord& record = records[i];
        if (!matches(record, *filter) || !emulator_.visible(*tenant, record.n, record.time_ms)) continue;
        for (int copy = 0; copy < GraphEmulator::copies(*tenant, record.n); ++copy) {
            const int64_t here = static_cast<int64_t>(2 * i) + copy;
            if (resumed && here < static_cast<int64_t>(start)) continue;
            if (count == top) {
                next = here;
                break;
            }
            if (count++ > 0) body += ',';
            body += beta_ ? record.beta_json : record.v1_json;
        }
    }
    body += "]}";
    if (next >= 0) {
        const std::string path = beta_ ? "/beta/auditLogs/signIns" : "/v1.0/auditLogs/signIns";
        body.insert(value_at, "\"@odata.nextLink\":\"" + next_link(emulator_, path, *query, next) + "\",");
    }
    send_page(emulator_, request, response, body, cut_page);
}

}  // namespace vigil::emulator
