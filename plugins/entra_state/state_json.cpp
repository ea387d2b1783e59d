#include "state_json.hpp"

#include <vigil/json_text.hpp>

namespace vigil::connectors {

std::string canonical_object(simdjson::dom::element record, std::span<const std::string_view> properties,
                             std::string_view previous) {
    simdjson::dom::parser previous_parser;
    simdjson::dom::object previous_object;
    const bool has_previous =
        !previous.empty() &&
        previous_parser.parse(previous.data(), previous.size(), true).get(previous_object) == simdjson::SUCCESS;
    std::string out = "{";
    for (const std::string_view property : properties) {
        if (out.size() > 1) out += ',';
        append_string(out, property);
        out += ':';
        simdjson::dom::element value;
        if (record[property].get(value) == simdjson::SUCCESS) {
            out += simdjson::to_string(value);
        } else if (has_previous && previous_object[property].get(value) == simdjson::SUCCESS) {
            out += simdjson::to_string(value);
        } else {
            out += "null";
        }
    }
    out += '}';
    return out;
}

std::string select_list(std::span<const std::string_view> properties) {
    std::string out;
    for (const std::string_view property : properties) {
        if (!out.empty()) out += ',';
        out += property;
    }
    return out;
}

void append_string(std::string& out, std::string_view text) {
    sdk::append_json_string(out, text);
}

}  // namespace vigil::connectors
