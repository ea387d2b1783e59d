#include "outputs/http_body.hpp"

#include <vigil/json_text.hpp>

#include <simdjson.h>

namespace vigil {

namespace {

std::string_view view(vigil_str text) {
    return {text.data, text.size};
}

// Seconds since the epoch with milliseconds, as HEC's "time" wants it: 1796464800.123.
void append_epoch_seconds(std::string& out, int64_t time_ms) {
    const int64_t seconds = time_ms >= 0 ? time_ms / 1000 : -((-time_ms + 999) / 1000);
    const int64_t millis = time_ms - seconds * 1000;
    out += std::to_string(seconds);
    out += '.';
    if (millis < 100) out += '0';
    if (millis < 10) out += '0';
    out += std::to_string(millis);
}

void append_record(std::string& out, const HttpBodyFormat& format, const vigil_record& record) {
    switch (format.mode) {
        case HttpMode::ndjson:
        case HttpMode::json_array:
            out += view(record.json);
            return;
        case HttpMode::splunk_hec:
            out += "{\"time\":";
            append_epoch_seconds(out, record.time_ms);
            out += ",\"host\":";
            sdk::append_json_string(out, format.hostname);
            out += ",\"source\":";
            sdk::append_json_string(out, "vigil:" + std::string(view(record.connector)));
            out += ",\"sourcetype\":";
            sdk::append_json_string(out, format.sourcetype);
            if (!format.index.empty()) {
                out += ",\"index\":";
                sdk::append_json_string(out, format.index);
            }
            out += ",\"event\":";
            out += view(record.json);
            out += '}';
            return;
        case HttpMode::elasticsearch:
            out += "{\"create\":{\"_index\":";
            sdk::append_json_string(out, format.index);
            out += ",\"_id\":";
            sdk::append_json_string(out, view(record.id));
            out += "}}\n";
            out += view(record.json);
            return;
    }
}

}  // namespace

bool parse_http_mode(std::string_view name, HttpMode& mode) {
    if (name == "ndjson")
        mode = HttpMode::ndjson;
    else if (name == "json_array")
        mode = HttpMode::json_array;
    else if (name == "splunk_hec")
        mode = HttpMode::splunk_hec;
    else if (name == "elasticsearch")
        mode = HttpMode::elasticsearch;
    else
        return false;
    return true;
}

const char* http_content_type(HttpMode mode) {
    switch (mode) {
        case HttpMode::ndjson:
        case HttpMode::elasticsearch:
            return "application/x-ndjson";
        case HttpMode::json_array:
        case HttpMode::splunk_hec:
            return "application/json";
    }
    return "application/json";
}

void append_http_body(const HttpBodyFormat& format, std::span<const vigil_record* const> records,
                      std::span<const uint32_t> indices, std::string& out) {
    if (format.mode == HttpMode::json_array) out += '[';
    bool first = true;
    for (const uint32_t index : indices) {
        if (!first) out += format.mode == HttpMode::json_array ? ',' : '\n';
        first = false;
        append_record(out, format, *records[index]);
    }
    if (format.mode == HttpMode::json_array) {
        out += ']';
    } else if (!indices.empty()) {
        out += '\n';  // _bulk requires the last line to end too
    }
}

bool parse_bulk_response(std::string_view body, std::vector<BulkItem>& items, std::string& reason) {
    items.clear();
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
        reason = "the _bulk response is not JSON";
        return false;
    }
    simdjson::dom::array list;
    if (root["items"].get_array().get(list) != simdjson::SUCCESS) {
        reason = "the _bulk response has no items";
        return false;
    }
    for (simdjson::dom::element entry : list) {
        simdjson::dom::object action;
        if (entry.get_object().get(action) != simdjson::SUCCESS || action.size() != 1) {
            reason = "a _bulk response item is not {action: {...}}";
            return false;
        }
        const simdjson::dom::element result = action.begin().value();
        BulkItem item;
        int64_t status = 0;
        if (result["status"].get_int64().get(status) != simdjson::SUCCESS) {
            reason = "a _bulk response item has no status";
            return false;
        }
        item.status = static_cast<int>(status);
        simdjson::dom::element error;
        if (result["error"].get(error) == simdjson::SUCCESS) {
            std::string_view type;
            std::string_view why;
            if (error["type"].get_string().get(type) == simdjson::SUCCESS) item.error = std::string(type);
            if (error["reason"].get_string().get(why) == simdjson::SUCCESS) item.error += ": " + std::string(why);
        }
        items.push_back(std::move(item));
    }
    return true;
}

}  // namespace vigil
