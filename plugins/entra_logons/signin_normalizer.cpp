#include "signin_normalizer.hpp"

#include "graph_page.hpp"
#include "utc_time.hpp"

#include <vigil/json_text.hpp>

namespace vigil::connectors {

namespace {

// Appends "key":value for a string field that is present and not empty (null and "" say nothing).
void text_field(std::string& out, std::string_view key, std::string_view value) {
    if (value.empty()) return;
    if (out.back() != '{') out += ',';
    sdk::append_json_string(out, key);
    out += ':';
    sdk::append_json_string(out, value);
}

void literal_field(std::string& out, std::string_view key, std::string_view literal) {
    if (out.back() != '{') out += ',';
    sdk::append_json_string(out, key);
    out += ':';
    out += literal;
}

// "key":true|false when the field is a boolean; nothing when it is null or missing.
void bool_field(std::string& out, std::string_view key, simdjson::dom::object object, std::string_view field) {
    bool value = false;
    if (object[field].get_bool().get(value) == simdjson::SUCCESS) literal_field(out, key, value ? "true" : "false");
}

// A nested object of text fields: "key":{...}, left out when none of them has a value.
template <size_t N>
void text_object(std::string& out, std::string_view key, simdjson::dom::object object,
                 const std::pair<std::string_view, std::string_view> (&fields)[N]) {
    const size_t mark = out.size();
    literal_field(out, key, "{");
    const size_t opened = out.size();
    for (const auto& [name, field] : fields) text_field(out, name, string_at(object, field));
    if (out.size() == opened) {
        out.resize(mark);
        return;
    }
    out += '}';
}

}  // namespace

bool SignInNormalizer::normalize(simdjson::dom::element record, std::string_view raw, sdk::Event& event,
                                 int64_t& error_code, std::string& why) {
    simdjson::dom::object signin;
    if (record.get_object().get(signin) != simdjson::SUCCESS) {
        why = "the record is not a JSON object";
        return false;
    }
    event = sdk::Event{};
    event.id = string_at(signin, "id");
    const auto time = parse_utc_ms(string_at(signin, "createdDateTime"));
    if (event.id.empty() || !time) {
        why = event.id.empty() ? "the record has no id" : "the record has no readable createdDateTime";
        return false;
    }
    event.time_ms = *time;
    error_code = 0;
    simdjson::dom::object status;
    const bool has_status = signin["status"].get_object().get(status) == simdjson::SUCCESS;
    if (has_status) error_code = int_at(status, "errorCode", 0);
    event.action = error_code == 0 ? "Successful Logon" : "Failed Logon";
    event.status = error_code == 0 ? "success" : "failure";

    // beta: signInEventTypes; v1.0 has only isInteractive.
    std::string_view event_type;
    simdjson::dom::array types;
    if (signin["signInEventTypes"].get_array().get(types) == simdjson::SUCCESS && types.size() > 0) {
        if (types.at(0).get_string().get(event_type) != simdjson::SUCCESS) event_type = {};
    }
    const bool principal = event_type == "servicePrincipal" || event_type == "managedIdentity";
    event.object_type = principal ? "ServicePrincipal" : "User";
    event.who = string_at(signin, "userPrincipalName");
    if (event.who.empty()) event.who = string_at(signin, "servicePrincipalName");
    if (event.who.empty()) event.who = string_at(signin, "userDisplayName");
    event.what = string_at(signin, "appDisplayName");
    if (event.what.empty()) event.what = string_at(signin, "resourceDisplayName");

    simdjson::dom::object device;
    const bool has_device = signin["deviceDetail"].get_object().get(device) == simdjson::SUCCESS;
    const std::string_view ip = string_at(signin, "ipAddress");
    const std::string_view device_name = has_device ? string_at(device, "displayName") : std::string_view{};
    if (device_name.empty()) {
        event.workstation = ip;
    } else {
        workstation_.assign(ip);
        if (!ip.empty()) workstation_ += ' ';
        workstation_ += '(';
        workstation_.append(device_name);
        workstation_ += ')';
        event.workstation = workstation_;
    }

    details_.assign("{");
    text_field(details_, "application", string_at(signin, "appDisplayName"));
    text_field(details_, "application_id", string_at(signin, "appId"));
    text_field(details_, "resource", string_at(signin, "resourceDisplayName"));
    text_field(details_, "client_app", string_at(signin, "clientAppUsed"));
    text_field(details_, "event_type", event_type);
    bool_field(details_, "interactive", signin, "isInteractive");
    if (has_device) {
        const size_t mark = details_.size();
        literal_field(details_, "device", "{");
        const size_t opened = details_.size();
        text_field(details_, "name", device_name);
        text_field(details_, "id", string_at(device, "deviceId"));
        text_field(details_, "operating_system", string_at(device, "operatingSystem"));
        text_field(details_, "browser", string_at(device, "browser"));
        text_field(details_, "trust_type", string_at(device, "trustType"));
        bool_field(details_, "compliant", device, "isCompliant");
        bool_field(details_, "managed", device, "isManaged");
        if (details_.size() == opened) {
            details_.resize(mark);
        } else {
            details_ += '}';
        }
    }
    simdjson::dom::object location;
    if (signin["location"].get_object().get(location) == simdjson::SUCCESS) {
        static constexpr std::pair<std::string_view, std::string_view> kLocation[] = {
            {"city", "city"}, {"state", "state"}, {"country", "countryOrRegion"}};
        text_object(details_, "location", location, kLocation);
    }
    text_field(details_, "conditional_access", string_at(signin, "conditionalAccessStatus"));
    text_field(details_, "authentication_requirement", string_at(signin, "authenticationRequirement"));
    literal_field(details_, "error_code", std::to_string(error_code));
    if (has_status && error_code != 0) {  // successful sign-ins carry a placeholder reason ("Other.")
        text_field(details_, "failure_reason", string_at(status, "failureReason"));
        text_field(details_, "additional_details", string_at(status, "additionalDetails"));
    }
    static constexpr std::pair<std::string_view, std::string_view> kRisk[] = {
        {"level_during_sign_in", "riskLevelDuringSignIn"},
        {"level_aggregated", "riskLevelAggregated"},
        {"state", "riskState"},
        {"detail", "riskDetail"}};
    text_object(details_, "risk", signin, kRisk);
    text_field(details_, "correlation_id", string_at(signin, "correlationId"));
    details_ += '}';
    event.details_json = details_;
    event.raw_json = raw;
    return true;
}

}  // namespace vigil::connectors
