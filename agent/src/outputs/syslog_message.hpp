#pragma once

#include "store/event_store.hpp"

#include <string>
#include <string_view>

namespace vigil {

// How the syslog output writes each event: an RFC 5424 header, then the event as its JSON record or as one CEF
// line (ArcSight Common Event Format 0). Settings are checked by parse_syslog_settings before any event.
struct SyslogMessageFormat {
    enum class Body { json, cef };
    Body body = Body::json;
    int facility = 16;  // local0
    std::string hostname;
    std::string app_name = "vigil";
    std::string process_id;  // the agent's pid, or "-"
    std::string product_version;
};

// A facility by RFC 5424 name ("local0", "auth", "user"...) or number 0..23; -1 when neither.
int syslog_facility(std::string_view name);

// Appends one RFC 5424 message (without framing) for event: <PRI>1 TIME HOST APP PROCID MSGID - BODY, where MSGID
// is the connector, the severity is informational for a success and warning for a failure, and BODY is json (the
// record as given) or a CEF line built from event.
void append_syslog_message(std::string& out, const SyslogMessageFormat& format, const StoredEventView& event,
                           std::string_view record_json);

// Appends the CEF line of event: CEF:0|Vigil|Vigil Entra ID Auditing Agent|version|connector:action|name|severity|
// then extensions (rt, externalId, cat, act, outcome, suser, src, dvchost, cs1..cs6 with their labels, msg).
void append_cef(std::string& out, const SyslogMessageFormat& format, const StoredEventView& event);

// RFC 5424 header fields are printable US-ASCII without spaces, each with a maximum length; anything else becomes
// '_' and the rest is cut, so a tenant's odd name never breaks a receiver's parser.
std::string syslog_header_field(std::string_view text, size_t max_size);

}  // namespace vigil
