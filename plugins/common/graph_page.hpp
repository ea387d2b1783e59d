#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

namespace vigil::connectors {

// One page of a Graph listing, parsed once: each record of "value" as a simdjson element (for reading fields) and
// as the exact bytes it was received as (for the event's `raw`). The parser and the slice list are reused from page
// to page, so a run allocates nothing per record once the buffers have grown to a page.
class GraphPage {
public:
    // False, with error set, when the page is not JSON or has no "value" array.
    bool parse(std::string_view page, std::string& error);

    size_t size() const { return raw_.size(); }
    simdjson::dom::element record(size_t i) const { return records_[i]; }
    std::string_view raw(size_t i) const { return raw_[i]; }

private:
    simdjson::dom::parser parser_;
    std::vector<simdjson::dom::element> records_;
    std::vector<std::string_view> raw_;
};

// The byte ranges of the elements of the top-level "value" array of page, in order; false when there is none or the
// text is cut short. A single pass that tracks only nesting and strings: simdjson's DOM does not keep offsets.
bool value_slices(std::string_view page, std::vector<std::string_view>& out);

// Field access that never throws: empty (or the fallback) when the field is missing, null or another type.
std::string_view string_at(simdjson::dom::element element, std::string_view key);
std::string_view string_at(simdjson::dom::object object, std::string_view key);
// The object at key, or an empty result (check with `.error()`) when missing or not an object.
simdjson::simdjson_result<simdjson::dom::object> object_at(simdjson::dom::object object, std::string_view key);

}  // namespace vigil::connectors
