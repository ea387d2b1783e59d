#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace vigil::emulator {

// The $filter forms the emulator understands on signIns, as Graph documents them (graph-api.md section 1.2, 1.3):
//   createdDateTime ge|le|eq 2026-01-13T14:13:32Z   (unquoted ISO-8601 UTC)
//   status/errorCode eq 0
//   signInEventTypes/any(t: t eq 'nonInteractiveUser' or t eq 'servicePrincipal')   (beta only)
//   signInEventTypes/any(t: t ne 'interactiveUser')                                  (beta only)
// joined by `and`, with optional parentheses. Anything else is refused, as Graph refuses what it does not support.
struct SignInFilter {
    int64_t from_ms = INT64_MIN;  // inclusive
    int64_t to_ms = INT64_MAX;    // inclusive
    std::optional<int> error_code;
    std::set<std::string> event_types{"interactiveUser"};  // without an explicit filter: interactive only
};

// nullopt and error set (Graph's message) when the filter is not one of the supported forms.
std::optional<SignInFilter> parse_signin_filter(const std::string& text, bool beta, std::string& error);

// directoryAudits: `activityDateTime ge|le|eq T` joined by `and` (event types and error codes are refused).
std::optional<SignInFilter> parse_audit_filter(const std::string& text, std::string& error);

// 2026-01-13T14:13:32Z or 2026-01-13T14:13:32.123Z to milliseconds; nullopt if malformed.
std::optional<int64_t> parse_utc_ms(const std::string& text);

}  // namespace vigil::emulator
