#include "signin_normalizer.hpp"

#include "utc_time.hpp"

#include <vigil/json_text.hpp>

namespace vigil::connectors {

namespace {

using simdjson::ondemand::object;
using simdjson::ondemand::value;

// A string field's text; empty for null, another type or an error.
std::string_view text(value field) {
    std::string_view out;
    if (field.get_string().get(out) != simdjson::SUCCESS) return {};
    return out;
}

// 1 or 0 for a boolean, -1 for null or anything else.
int flag(value field) {
    bool out = false;
    if (field.get_bool().get(out) != simdjson::SUCCESS) return -1;
    return out ? 1 : 0;
}

// Appends "key":"value" for a string that is present and not empty (null and "" say nothing).
void text_field(std::string& out, std::string_view key, std::string_view value_text) {
    if (value_text.empty()) return;
    if (out.back() != '{') out += ',';
    sdk::append_json_string(out, key);
    out += ':';
    sdk::append_json_string(out, value_text);
}

void literal_field(std::string& out, std::string_view key, std::string_view literal) {
    if (out.back() != '{') out += ',';
    sdk::append_json_string(out, key);
    out += ':';
    out += literal;
}

void flag_field(std::string& out, std::string_view key, int value_flag) {
    if (value_flag >= 0) literal_field(out, key, value_flag ? "true" : "false");
}

// Opens "key":{ ... and closes it, or takes it back when nothing was written inside.
class Nested {
public:
    Nested(std::string& out, std::string_view key) : out_(out), mark_(out.size()) {
        literal_field(out, key, "{");
        opened_ = out.size();
    }
    ~Nested() {
        if (out_.size() == opened_) {
            out_.resize(mark_);
        } else {
            out_ += '}';
        }
    }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

private:
    std::string& out_;
    size_t mark_;
    size_t opened_;
};

}  // namespace

bool SignInNormalizer::read(object& record, Fields& f) {
    for (auto field : record) {
        std::string_view key;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
        value v = field.value();
        switch (key.empty() ? '\0' : key[0]) {
            case 'a':
                if (key == "appId")
                    f.app_id = text(v);
                else if (key == "appDisplayName")
                    f.app_display_name = text(v);
                else if (key == "authenticationRequirement")
                    f.authentication_requirement = text(v);
                break;
            case 'c':
                if (key == "createdDateTime")
                    f.created = text(v);
                else if (key == "clientAppUsed")
                    f.client_app = text(v);
                else if (key == "correlationId")
                    f.correlation_id = text(v);
                else if (key == "conditionalAccessStatus")
                    f.conditional_access = text(v);
                break;
            case 'd':
                if (key == "deviceDetail") {
                    object device;
                    if (v.get_object().get(device) != simdjson::SUCCESS) break;
                    f.has_device = true;
                    for (auto part : device) {
                        std::string_view name;
                        if (part.unescaped_key().get(name) != simdjson::SUCCESS) return false;
                        if (name == "deviceId")
                            f.device_id = text(part.value());
                        else if (name == "displayName")
                            f.device_name = text(part.value());
                        else if (name == "operatingSystem")
                            f.operating_system = text(part.value());
                        else if (name == "browser")
                            f.browser = text(part.value());
                        else if (name == "trustType")
                            f.trust_type = text(part.value());
                        else if (name == "isCompliant")
                            f.compliant = flag(part.value());
                        else if (name == "isManaged")
                            f.managed = flag(part.value());
                    }
                }
                break;
            case 'i':
                if (key == "id")
                    f.id = text(v);
                else if (key == "ipAddress")
                    f.ip_address = text(v);
                else if (key == "isInteractive")
                    f.interactive = flag(v);
                break;
            case 'l':
                if (key == "location") {
                    object location;
                    if (v.get_object().get(location) != simdjson::SUCCESS) break;
                    for (auto part : location) {
                        std::string_view name;
                        if (part.unescaped_key().get(name) != simdjson::SUCCESS) return false;
                        if (name == "city")
                            f.city = text(part.value());
                        else if (name == "state")
                            f.state = text(part.value());
                        else if (name == "countryOrRegion")
                            f.country = text(part.value());
                    }
                }
                break;
            case 'r':
                if (key == "resourceDisplayName")
                    f.resource = text(v);
                else if (key == "riskDetail")
                    f.risk_detail = text(v);
                else if (key == "riskLevelAggregated")
                    f.risk_aggregated = text(v);
                else if (key == "riskLevelDuringSignIn")
                    f.risk_during = text(v);
                else if (key == "riskState")
                    f.risk_state = text(v);
                break;
            case 's':
                if (key == "servicePrincipalName") {
                    f.service_principal_name = text(v);
                } else if (key == "signInEventTypes") {
                    simdjson::ondemand::array types;
                    if (v.get_array().get(types) != simdjson::SUCCESS) break;
                    for (auto type : types) {
                        if (f.event_type.empty()) f.event_type = text(type.value_unsafe());
                    }
                } else if (key == "status") {
                    object status;
                    if (v.get_object().get(status) != simdjson::SUCCESS) break;
                    for (auto part : status) {
                        std::string_view name;
                        if (part.unescaped_key().get(name) != simdjson::SUCCESS) return false;
                        if (name == "errorCode") {
                            int64_t code = 0;
                            if (part.value().get_int64().get(code) == simdjson::SUCCESS) f.error_code = code;
                        } else if (name == "failureReason") {
                            f.failure_reason = text(part.value());
                        } else if (name == "additionalDetails") {
                            f.additional_details = text(part.value());
                        }
                    }
                }
                break;
            case 'u':
                if (key == "userPrincipalName")
                    f.user_principal_name = text(v);
                else if (key == "userDisplayName")
                    f.user_display_name = text(v);
                break;
            default:
                break;  // not read: On-Demand skips it
        }
    }
    return true;
}

bool SignInNormalizer::normalize(object& record, std::string_view raw, sdk::Event& event, int64_t& error_code,
                                 std::string& why) {
    Fields f;
    if (!read(record, f)) {
        why = "the record is not well-formed JSON";
        return false;
    }
    event = sdk::Event{};
    event.id = f.id;
    const auto time = parse_utc_ms(f.created);
    if (event.id.empty() || !time) {
        why = event.id.empty() ? "the record has no id" : "the record has no readable createdDateTime";
        return false;
    }
    event.time_ms = *time;
    error_code = f.error_code;
    event.action = error_code == 0 ? "Successful Logon" : "Failed Logon";
    event.status = error_code == 0 ? "success" : "failure";
    const bool principal = f.event_type == "servicePrincipal" || f.event_type == "managedIdentity";
    event.object_type = principal ? "ServicePrincipal" : "User";
    event.who = !f.user_principal_name.empty()      ? f.user_principal_name
                : !f.service_principal_name.empty() ? f.service_principal_name
                                                    : f.user_display_name;
    event.what = f.app_display_name.empty() ? f.resource : f.app_display_name;
    if (f.device_name.empty()) {
        event.workstation = f.ip_address;
    } else {
        workstation_.assign(f.ip_address);
        if (!f.ip_address.empty()) workstation_ += ' ';
        workstation_ += '(';
        workstation_.append(f.device_name);
        workstation_ += ')';
        event.workstation = workstation_;
    }

    details_.assign("{");
    text_field(details_, "application", f.app_display_name);
    text_field(details_, "application_id", f.app_id);
    text_field(details_, "resource", f.resource);
    text_field(details_, "client_app", f.client_app);
    text_field(details_, "event_type", f.event_type);
    flag_field(details_, "interactive", f.interactive);
    if (f.has_device) {
        const Nested device(details_, "device");
        text_field(details_, "name", f.device_name);
        text_field(details_, "id", f.device_id);
        text_field(details_, "operating_system", f.operating_system);
        text_field(details_, "browser", f.browser);
        text_field(details_, "trust_type", f.trust_type);
        flag_field(details_, "compliant", f.compliant);
        flag_field(details_, "managed", f.managed);
    }
    {
        const Nested location(details_, "location");
        text_field(details_, "city", f.city);
        text_field(details_, "state", f.state);
        text_field(details_, "country", f.country);
    }
    text_field(details_, "conditional_access", f.conditional_access);
    text_field(details_, "authentication_requirement", f.authentication_requirement);
    char code[24];
    const int length = std::snprintf(code, sizeof(code), "%lld", static_cast<long long>(error_code));
    literal_field(details_, "error_code", std::string_view(code, static_cast<size_t>(length)));
    if (error_code != 0) {  // successful sign-ins carry a placeholder reason ("Other.")
        text_field(details_, "failure_reason", f.failure_reason);
        text_field(details_, "additional_details", f.additional_details);
    }
    {
        const Nested risk(details_, "risk");
        text_field(details_, "level_during_sign_in", f.risk_during);
        text_field(details_, "level_aggregated", f.risk_aggregated);
        text_field(details_, "state", f.risk_state);
        text_field(details_, "detail", f.risk_detail);
    }
    text_field(details_, "correlation_id", f.correlation_id);
    details_ += '}';
    event.details_json = details_;
    event.raw_json = raw;
    return true;
}

}  // namespace vigil::connectors
