#include "outputs/syslog_message.hpp"

#include "outputs/event_format.hpp"
#include "util/rfc3339.hpp"

#include <array>
#include <charconv>

namespace vigil {

namespace {

constexpr int kSeverityWarning = 4;
constexpr int kSeverityInformational = 6;
constexpr size_t kMaxMsgId = 32;

// CEF header fields escape '\' and '|'; newlines would end the line, so they become spaces.
void append_cef_header(std::string& out, std::string_view text) {
    for (const char c : text) {
        if (c == '\\' || c == '|') out += '\\';
        out += (c == '\n' || c == '\r') ? ' ' : c;
    }
}

// CEF extension values escape '\' and '='; newlines are written \n and \r.
void append_cef_value(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '=':
                out += "\\=";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                out += c;
        }
    }
}

void append_extension(std::string& out, std::string_view key, std::string_view value) {
    if (value.empty()) return;
    if (out.back() != '|') out += ' ';
    out += key;
    out += '=';
    append_cef_value(out, value);
}

bool failed(const StoredEventView& event) {
    return event.status == "failure";
}

}  // namespace

int syslog_facility(std::string_view name) {
    static constexpr std::array<std::string_view, 24> kNames = {
        "kern",   "user",   "mail",     "daemon", "auth",   "syslog",   "lpr",     "news",
        "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "security", "console", "solaris-cron",
        "local0", "local1", "local2",   "local3", "local4", "local5",   "local6",  "local7"};
    for (size_t i = 0; i < kNames.size(); ++i)
        if (kNames[i] == name) return static_cast<int>(i);
    int number = -1;
    const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), number);
    if (error == std::errc() && end == name.data() + name.size() && number >= 0 && number <= 23) return number;
    return -1;
}

std::string syslog_header_field(std::string_view text, size_t max_size) {
    std::string out;
    for (const char c : text.substr(0, max_size)) out += (c >= 33 && c <= 126) ? c : '_';
    return out.empty() ? "-" : out;
}

void append_syslog_message(std::string& out, const SyslogMessageFormat& format, const StoredEventView& event,
                           std::string_view record_json) {
    const int severity = failed(event) ? kSeverityWarning : kSeverityInformational;
    out += '<';
    out += std::to_string(format.facility * 8 + severity);
    out += ">1 ";
    append_rfc3339_ms(out, event.time_ms);
    out += ' ';
    out += format.hostname;
    out += ' ';
    out += format.app_name;
    out += ' ';
    out += format.process_id;
    out += ' ';
    for (const char c : event.connector.substr(0, kMaxMsgId)) out += (c >= 33 && c <= 126) ? c : '_';
    if (event.connector.empty()) out += '-';
    out += " - ";
    if (format.body == SyslogMessageFormat::Body::cef) {
        append_cef(out, format, event);
    } else {
        out += record_json;
    }
}

void append_cef(std::string& out, const SyslogMessageFormat& format, const StoredEventView& event) {
    out += "CEF:0|Vigil|Vigil Entra ID Auditing Agent|";
    append_cef_header(out, format.product_version);
    out += '|';
    append_cef_header(out, event.connector);
    out += ':';
    append_cef_header(out, event.action);
    out += '|';
    append_cef_header(out, event.action);
    if (!event.object_type.empty() && !event.action.ends_with("Logon")) {
        out += ' ';
        append_cef_header(out, event.object_type);
    }
    out += failed(event) ? "|5|" : "|3|";
    char time[24];
    const auto [time_end, ignored] = std::to_chars(time, time + sizeof(time), event.time_ms);
    append_extension(out, "rt", std::string_view(time, static_cast<size_t>(time_end - time)));
    append_extension(out, "externalId", event.id);
    append_extension(out, "cat", event.connector);
    append_extension(out, "act", event.action);
    append_extension(out, "outcome", event.status);
    append_extension(out, "suser", event.who);
    append_extension(out, "src", leading_ip(event.workstation));
    append_extension(out, "dvchost", event.where);
    struct Custom {
        std::string_view label_key, key, label, value;
    };
    const Custom custom[] = {
        {"cs1Label", "cs1", "organization", event.organization}, {"cs2Label", "cs2", "tenantId", event.tenant_id},
        {"cs3Label", "cs3", "objectType", event.object_type},    {"cs4Label", "cs4", "what", event.what},
        {"cs5Label", "cs5", "sourceGroup", event.source_group},  {"cs6Label", "cs6", "workstation", event.workstation}};
    for (const Custom& field : custom) {
        if (field.value.empty()) continue;
        append_extension(out, field.label_key, field.label);
        append_extension(out, field.key, field.value);
    }
    append_extension(out, "msg", event.details_json);
}

}  // namespace vigil
