#include "directory_filter.hpp"

#include "signin_filter.hpp"
#include "util/json_text.hpp"

#include <regex>

namespace vigil::emulator {

namespace {

// The JSON text of property (or of a/b inside object a), from rendered properties.
std::optional<std::string> value_at(const Properties& properties, const std::string& path) {
    const auto slash = path.find('/');
    const auto value = property_value(properties, path.substr(0, slash));
    if (!value || slash == std::string::npos) return value;
    // One level of nesting is all the filterable paths need: "name":value inside the object's text.
    const std::string key = "\"" + path.substr(slash + 1) + "\":";
    const auto at = value->find(key);
    if (at == std::string::npos) return std::nullopt;
    const auto start = at + key.size();
    const auto end = (*value)[start] == '"' ? value->find('"', start + 1) + 1 : value->find_first_of(",}", start);
    return value->substr(start, end - start);
}

}  // namespace

std::optional<std::vector<FilterClause>> parse_directory_filter(
    const std::string& text, const std::map<std::string, std::set<std::string>>& allowed, std::string& error) {
    std::vector<FilterClause> clauses;
    if (text.empty()) return clauses;
    static const std::regex clause_form(
        R"(^\s*([A-Za-z]+(?:/[A-Za-z]+)?) (eq|ne|ge|le) (true|false|'[^']*'|-?\d+|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)\s*$)");
    size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find(" and ", start);
        if (end == std::string::npos) end = text.size();
        const std::string part = text.substr(start, end - start);
        std::smatch match;
        if (!std::regex_match(part, match, clause_form)) {
            error = "Invalid filter clause: '" + part + "'.";
            return std::nullopt;
        }
        FilterClause clause{match[1], match[2], match[3], std::nullopt};
        const auto ops = allowed.find(clause.property);
        if (ops == allowed.end() || ops->second.count(clause.op) == 0) {
            error = "Unsupported or invalid query filter clause specified for property '" + clause.property +
                    "' of resource.";
            return std::nullopt;
        }
        if (clause.literal.front() == '\'') {
            const std::string inner = clause.literal.substr(1, clause.literal.size() - 2);
            clause.literal.clear();
            append_json_string(clause.literal, inner);
        } else if (clause.literal.size() > 10 && clause.literal[4] == '-') {
            clause.time_ms = parse_utc_ms(clause.literal);
        }
        clauses.push_back(std::move(clause));
        start = end + 5;
    }
    return clauses;
}

bool matches(const Properties& properties, const std::vector<FilterClause>& clauses) {
    for (const auto& clause : clauses) {
        const auto value = value_at(properties, clause.property);
        if (!value) return false;
        if (clause.time_ms) {
            const std::string bare = value->size() >= 2 ? value->substr(1, value->size() - 2) : "";
            const auto time = parse_utc_ms(bare);
            const int64_t when = time.value_or(INT64_MIN);  // null: never
            if (clause.op == "ge" && !(when >= *clause.time_ms)) return false;
            if (clause.op == "le" && !(when <= *clause.time_ms)) return false;
            if (clause.op == "eq" && when != *clause.time_ms) return false;
            if (clause.op == "ne" && when == *clause.time_ms) return false;
            continue;
        }
        const bool equal = *value == clause.literal;
        if ((clause.op == "eq" && !equal) || (clause.op == "ne" && equal)) return false;
    }
    return true;
}

}  // namespace vigil::emulator
