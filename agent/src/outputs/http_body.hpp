#pragma once

#include <vigil/plugin.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// What an http output's receiver expects, and how each record is put in a request body.
enum class HttpMode {
    ndjson,         // one event record per line (application/x-ndjson)
    json_array,     // [record, record, ...] (application/json)
    splunk_hec,     // Splunk HTTP Event Collector: {"time", "host", "source", "sourcetype", "index", "event"} each
    elasticsearch,  // Elasticsearch/OpenSearch _bulk: a "create" action with _id = the event id, then the record
};

struct HttpBodyFormat {
    HttpMode mode = HttpMode::ndjson;
    std::string index;       // elasticsearch: the index (required); splunk_hec: the index, or empty for the token's
    std::string sourcetype;  // splunk_hec
    std::string hostname;    // splunk_hec: the event's host
};

// Parses "ndjson", "json_array", "splunk_hec", "elasticsearch"; false when none.
bool parse_http_mode(std::string_view name, HttpMode& mode);
const char* http_content_type(HttpMode mode);

// Appends to out the request body carrying records[i] for each i of indices, in that order.
void append_http_body(const HttpBodyFormat& format, std::span<const vigil_record* const> records,
                      std::span<const uint32_t> indices, std::string& out);

// One item of an Elasticsearch _bulk response, in request order.
struct BulkItem {
    int status = 0;
    std::string error;  // "type: reason" when the item failed
};

// Reads a _bulk response body's items; false (with reason) when it is not one.
bool parse_bulk_response(std::string_view body, std::vector<BulkItem>& items, std::string& reason);

}  // namespace vigil
