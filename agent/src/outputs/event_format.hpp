#pragma once

#include "store/event_store.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

// What a network output sends as each event's JSON: the event record as stored (native), or mapped to a schema a
// SIEM already understands (docs/formats.md has the mapping tables).
enum class EventFormat {
    native,
    ocsf,  // Open Cybersecurity Schema Framework 1.1: Authentication, Account Change, Group Management, ...
    ecs,   // Elastic Common Schema 8: event.category authentication or iam, user.*, source.*, cloud.* ...
};

// "native", "ocsf" or "ecs"; false when none.
bool parse_event_format(std::string_view name, EventFormat& format);

// What a sign-in's details say that the schemas have a place for (the Entra Logons connector's details).
struct LogonFacts {
    std::string_view application;
    std::string_view failure_reason;
    std::string_view country;
    std::string_view city;
    int64_t error_code = 0;
    bool has_error_code = false;
};

// Writes events in a format. Holds the parser it reads details with: one per output thread.
class EventFormatter {
public:
    // Appends event as one JSON object in format; native appends record_json as it is.
    void append(std::string& out, EventFormat format, const StoredEventView& event, std::string_view record_json);

private:
    LogonFacts logon_facts(std::string_view details_json);

    simdjson::dom::parser details_parser_;
};

// The leading IP address of a workstation ("203.0.113.7" or "203.0.113.7 (LAPTOP-1)"), or empty.
std::string_view leading_ip(std::string_view workstation);

bool is_logon(const StoredEventView& event);

// The two mappings, for EventFormatter and the tests.
void append_ocsf(std::string& out, const StoredEventView& event, const LogonFacts& facts);
void append_ecs(std::string& out, const StoredEventView& event, const LogonFacts& facts);

}  // namespace vigil
