#include "signin_data.hpp"

#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

#include <algorithm>
#include <cstdio>

namespace vigil::emulator {

namespace {

const char* const kCities[][3] = {{"Zürich", "Zürich", "CH"},
                                  {"Lyon", "Auvergne-Rhône-Alpes", "FR"},
                                  {"Seattle", "Washington", "US"},
                                  {"São Paulo", "São Paulo", "BR"}};

std::string event_type_of(int n) {
    if (n % 20 == 19) return "managedIdentity";
    if (n % 10 == 9) return "servicePrincipal";
    if (n % 4 == 3) return "nonInteractiveUser";
    return "interactiveUser";
}

void field(std::string& out, const char* name, const std::string& value) {
    out += '"';
    out += name;
    out += "\":";
    append_json_string(out, value);
    out += ',';
}

std::string render(int n, const SignInRecord& record, const DirectoryUser& user, bool beta) {
    const bool failed = record.error_code != 0;
    const auto* city = kCities[n % 4];
    std::string out = "{";
    field(out, "id", record.id);
    out += "\"createdDateTime\":\"";
    append_rfc3339_ms(out, record.time_ms);
    out += "\",";
    // Every 50th display name has what breaks naive code besides the non-ASCII ones: a quote and a newline.
    field(out, "userDisplayName", n % 50 == 7 ? user.display_name + " \"ext\"\nO'Brien" : user.display_name);
    field(out, "userPrincipalName", user.user_principal_name);
    field(out, "userId", user.id);
    field(out, "appId", "00000002-0000-0ff1-ce00-000000000000");
    field(out, "appDisplayName", "Office 365 Exchange Online");
    field(out, "ipAddress", "203.0.113." + std::to_string(n % 250 + 1));
    field(out, "clientAppUsed", record.event_type == "interactiveUser" ? "Browser" : "Mobile Apps and Desktop clients");
    field(out, "correlationId", "c-" + std::to_string(n));
    field(out, "conditionalAccessStatus", "notApplied");
    out += std::string("\"isInteractive\":") + (record.event_type == "interactiveUser" ? "true" : "false") + ",";
    field(out, "resourceDisplayName", "Microsoft Graph");
    field(out, "resourceId", "00000003-0000-0000-c000-000000000000");
    out +=
        "\"riskDetail\":\"none\",\"riskLevelAggregated\":\"none\",\"riskLevelDuringSignIn\":\"none\","
        "\"riskState\":\"none\",\"riskEventTypes\":[],\"riskEventTypes_v2\":[],";
    out += "\"status\":{\"errorCode\":" + std::to_string(record.error_code) + ",\"failureReason\":";
    append_json_string(out, failed ? "Error validating credentials due to invalid username or password." : "");
    out += ",\"additionalDetails\":null},";
    out +=
        "\"deviceDetail\":{\"deviceId\":\"\",\"displayName\":\"\",\"operatingSystem\":\"Windows 10\","
        "\"browser\":\"Edge 120.0.0\",\"isCompliant\":false,\"isManaged\":false,\"trustType\":\"\"},";
    out += "\"location\":{";
    field(out, "city", city[0]);
    field(out, "state", city[1]);
    field(out, "countryOrRegion", city[2]);
    out += "\"geoCoordinates\":{\"altitude\":null,\"latitude\":47.37,\"longitude\":8.54}},";
    if (beta) {
        out += "\"signInEventTypes\":[\"" + record.event_type + "\"],";
        field(out, "servicePrincipalName", record.event_type == "servicePrincipal" ? "Vigil test service" : "");
    }
    out += "\"appliedConditionalAccessPolicies\":[]}";
    return out;
}

}  // namespace

std::vector<SignInRecord> generate_signins(const Tenant& tenant, const std::vector<DirectoryUser>& actors) {
    std::vector<SignInRecord> records;
    records.reserve(static_cast<size_t>(tenant.signin_records));
    for (int n = 0; n < tenant.signin_records; ++n) {
        SignInRecord record;
        record.n = n;
        record.time_ms = tenant.signins_from_ms + static_cast<int64_t>(n) * 500;
        char id[64];
        std::snprintf(id, sizeof(id), "%s-signin-%08d", tenant.id.substr(0, 8).c_str(), n);
        record.id = id;
        record.event_type = event_type_of(n);
        record.error_code = n % 5 == 4 ? 50126 : 0;
        const DirectoryUser& user = actors[static_cast<size_t>(n) % actors.size()];
        record.v1_json = render(n, record, user, false);
        record.beta_json = render(n, record, user, true);
        records.push_back(std::move(record));
    }
    std::reverse(records.begin(), records.end());  // newest first, as Graph lists them
    return records;
}

}  // namespace vigil::emulator
