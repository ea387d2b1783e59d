#include "outputs/event_format.hpp"

#include <arpa/inet.h>

#include <array>

namespace vigil {

namespace {

// The string member key of object, or empty when absent or not a string.
std::string_view text_at(simdjson::dom::object object, const char* key) {
    std::string_view text;
    if (object[key].get_string().get(text) != simdjson::SUCCESS) return {};
    return text;
}

}  // namespace

bool parse_event_format(std::string_view name, EventFormat& format) {
    if (name == "native")
        format = EventFormat::native;
    else if (name == "ocsf")
        format = EventFormat::ocsf;
    else if (name == "ecs")
        format = EventFormat::ecs;
    else
        return false;
    return true;
}

std::string_view leading_ip(std::string_view workstation) {
    const std::string_view first = workstation.substr(0, workstation.find(' '));
    if (first.empty() || first.size() > 45) return {};
    char text[46] = {};
    first.copy(text, first.size());
    std::array<unsigned char, 16> address{};
    if (inet_pton(AF_INET, text, address.data()) == 1 || inet_pton(AF_INET6, text, address.data()) == 1) return first;
    return {};
}

bool is_logon(const StoredEventView& event) {
    return event.action == "Successful Logon" || event.action == "Failed Logon";
}

void EventFormatter::append(std::string& out, EventFormat format, const StoredEventView& event,
                            std::string_view record_json) {
    switch (format) {
        case EventFormat::native:
            out += record_json;
            return;
        case EventFormat::ocsf:
            append_ocsf(out, event, is_logon(event) ? logon_facts(event.details_json) : LogonFacts{});
            return;
        case EventFormat::ecs:
            append_ecs(out, event, is_logon(event) ? logon_facts(event.details_json) : LogonFacts{});
            return;
    }
}

LogonFacts EventFormatter::logon_facts(std::string_view details_json) {
    LogonFacts facts;
    simdjson::dom::object details;
    if (details_json.empty() ||
        details_parser_.parse(details_json.data(), details_json.size()).get_object().get(details) != simdjson::SUCCESS)
        return facts;
    facts.application = text_at(details, "application");
    facts.failure_reason = text_at(details, "failure_reason");
    facts.has_error_code = details["error_code"].get_int64().get(facts.error_code) == simdjson::SUCCESS;
    simdjson::dom::object location;
    if (details["location"].get_object().get(location) == simdjson::SUCCESS) {
        facts.country = text_at(location, "country");
        facts.city = text_at(location, "city");
    }
    return facts;
}

}  // namespace vigil
