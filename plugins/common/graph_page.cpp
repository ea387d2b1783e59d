#include "graph_page.hpp"

#include <vigil/json_text.hpp>

namespace vigil::connectors {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

}  // namespace

bool value_slices(std::string_view page, std::vector<std::string_view>& out) {
    out.clear();
    int depth = 0;
    size_t i = 0;
    // Find the top-level key "value".
    while (i < page.size()) {
        const char c = page[i];
        if (c == '"') {
            const size_t end = sdk::skip_json_string(page, i);
            if (end == std::string_view::npos) return false;
            const bool is_value_key = depth == 1 && page.substr(i, end - i) == "\"value\"";
            i = end;
            if (!is_value_key) continue;
            while (i < page.size() && is_space(page[i])) ++i;
            if (i >= page.size() || page[i] != ':') continue;  // "value" as a string value, not a key
            ++i;
            while (i < page.size() && is_space(page[i])) ++i;
            if (i >= page.size() || page[i] != '[') return false;
            break;
        }
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') --depth;
        ++i;
    }
    if (i >= page.size()) return false;
    // Elements: from the first non-space byte to the comma or bracket that ends them at the array's depth.
    ++i;
    int nested = 0;
    size_t start = std::string_view::npos;
    for (; i < page.size(); ++i) {
        const char c = page[i];
        if (c == '"') {
            if (start == std::string_view::npos) start = i;
            const size_t end = sdk::skip_json_string(page, i);
            if (end == std::string_view::npos) return false;
            i = end - 1;
            continue;
        }
        if (is_space(c)) continue;
        if (nested == 0 && (c == ',' || c == ']')) {
            if (start != std::string_view::npos) {
                size_t end = i;
                while (end > start && is_space(page[end - 1])) --end;
                out.push_back(page.substr(start, end - start));
            }
            start = std::string_view::npos;
            if (c == ']') return true;
            continue;
        }
        if (start == std::string_view::npos) start = i;
        if (c == '{' || c == '[') ++nested;
        if (c == '}' || c == ']') --nested;
    }
    return false;
}

bool GraphPage::parse(std::string_view page, std::string& error) {
    records_.clear();
    simdjson::dom::element root;
    if (const auto failure = parser_.parse(page.data(), page.size()).get(root); failure != simdjson::SUCCESS) {
        error = std::string("the page is not valid JSON: ") + simdjson::error_message(failure);
        return false;
    }
    simdjson::dom::array values;
    if (root["value"].get_array().get(values) != simdjson::SUCCESS) {
        error = "the page has no \"value\" array";
        return false;
    }
    for (simdjson::dom::element value : values) records_.push_back(value);
    if (!value_slices(page, raw_) || raw_.size() != records_.size()) {
        error = "the page's \"value\" array could not be delimited";
        return false;
    }
    return true;
}

std::string_view string_at(simdjson::dom::element element, std::string_view key) {
    std::string_view value;
    if (element[key].get_string().get(value) != simdjson::SUCCESS) return {};
    return value;
}

std::string_view string_at(simdjson::dom::object object, std::string_view key) {
    std::string_view value;
    if (object[key].get_string().get(value) != simdjson::SUCCESS) return {};
    return value;
}

simdjson::simdjson_result<simdjson::dom::object> object_at(simdjson::dom::object object, std::string_view key) {
    return object[key].get_object();
}

}  // namespace vigil::connectors
