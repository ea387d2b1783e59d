#include "signin_filter.hpp"

#include <cctype>
#include <ctime>
#include <regex>
#include <vector>

namespace vigil::emulator {

namespace {

// Splits on top-level " and " (outside parentheses and quotes).
std::vector<std::string> split_and(const std::string& text) {
    std::vector<std::string> parts;
    int depth = 0;
    bool quoted = false;
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\'') quoted = !quoted;
        if (quoted) continue;
        if (c == '(') ++depth;
        if (c == ')') --depth;
        if (depth == 0 && text.compare(i, 5, " and ") == 0) {
            parts.push_back(text.substr(start, i - start));
            start = i + 5;
            i += 4;
        }
    }
    parts.push_back(text.substr(start));
    return parts;
}

std::string trim(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.erase(text.begin());
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    return text;
}

// Removes parentheses that wrap the whole clause.
std::string unwrap(std::string text) {
    text = trim(text);
    while (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
        int depth = 0;
        bool wraps = true;
        for (size_t i = 0; i + 1 < text.size(); ++i) {
            depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
            if (depth == 0) wraps = false;
        }
        if (!wraps) break;
        text = trim(text.substr(1, text.size() - 2));
    }
    return text;
}

const std::set<std::string> kEventTypes{"interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"};

bool clause(const std::string& raw, bool beta, bool audits, SignInFilter& filter) {
    const std::string text = unwrap(raw);
    static const std::regex signin_time(R"(^createdDateTime (ge|le|eq) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)$)");
    static const std::regex audit_time(R"(^activityDateTime (ge|le|eq) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z)$)");
    const std::regex& time_clause = audits ? audit_time : signin_time;
    static const std::regex error_clause(R"(^status/errorCode eq (\d+)$)");
    static const std::regex any_clause(R"(^signInEventTypes/any\((\w+):\s*(.+)\)$)");
    std::smatch match;
    if (std::regex_match(text, match, time_clause)) {
        const auto ms = parse_utc_ms(match[2]);
        if (!ms) return false;
        if (match[1] == "ge" || match[1] == "eq") filter.from_ms = std::max(filter.from_ms, *ms);
        if (match[1] == "le" || match[1] == "eq") filter.to_ms = std::min(filter.to_ms, *ms);
        return true;
    }
    if (!audits && std::regex_match(text, match, error_clause)) {
        filter.error_code = std::stoi(match[1]);
        return true;
    }
    if (!audits && beta && std::regex_match(text, match, any_clause)) {
        const std::string variable = match[1];
        const std::regex comparison("^" + variable + R"( (eq|ne) '(\w+)'$)");
        std::set<std::string> chosen;
        std::string rest = match[2];
        size_t start = 0;
        while (true) {
            const size_t or_at = rest.find(" or ", start);
            const std::string part =
                trim(rest.substr(start, or_at == std::string::npos ? std::string::npos : or_at - start));
            std::smatch compared;
            if (!std::regex_match(part, compared, comparison) || kEventTypes.count(compared[2]) == 0) return false;
            if (compared[1] == "eq") {
                chosen.insert(compared[2]);
            } else {
                for (const auto& type : kEventTypes) {
                    if (type != compared[2]) chosen.insert(type);
                }
            }
            if (or_at == std::string::npos) break;
            start = or_at + 4;
        }
        filter.event_types = chosen;
        return true;
    }
    return false;
}

}  // namespace

std::optional<int64_t> parse_utc_ms(const std::string& text) {
    std::tm parts{};
    int milliseconds = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
                    &parts.tm_hour, &parts.tm_min, &parts.tm_sec) != 6) {
        return std::nullopt;
    }
    if (const size_t dot = text.find('.'); dot != std::string::npos) {
        std::string fraction = text.substr(dot + 1, 3);
        while (fraction.size() < 3) fraction += '0';
        milliseconds = std::stoi(fraction);
    }
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return static_cast<int64_t>(timegm(&parts)) * 1000 + milliseconds;
}

namespace {

std::optional<SignInFilter> parse_filter(const std::string& text, bool beta, bool audits, std::string& error) {
    SignInFilter filter;
    if (trim(text).empty()) return filter;
    for (const std::string& part : split_and(unwrap(text))) {
        // A parenthesised group of and-ed clauses, as in "(createdDateTime ge X and createdDateTime le Y) and ...".
        for (const std::string& inner : split_and(unwrap(part))) {
            if (!clause(inner, beta, audits, filter)) {
                error = "Invalid filter clause: the filter '" + trim(inner) + "' is not supported.";
                return std::nullopt;
            }
        }
    }
    return filter;
}

}  // namespace

std::optional<SignInFilter> parse_signin_filter(const std::string& text, bool beta, std::string& error) {
    return parse_filter(text, beta, false, error);
}

std::optional<SignInFilter> parse_audit_filter(const std::string& text, std::string& error) {
    return parse_filter(text, false, true, error);
}

}  // namespace vigil::emulator
