#include "graph/page_links.hpp"

#include <simdjson.h>

namespace vigil::graph {

std::optional<PageLinks> read_page_links(std::string_view page_json) {
    // The whole page is validated (simdjson's DOM parser, with runtime CPU dispatch: well over 1 GB/s), so a
    // malformed page is refused here, before a plugin sees any of it; then only the top-level links are read.
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(page_json.data(), page_json.size(), true).get(root) != simdjson::SUCCESS) return std::nullopt;
    simdjson::dom::object object;
    if (root.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
    PageLinks links;
    std::string_view value;
    if (object["@odata.nextLink"].get_string().get(value) == simdjson::SUCCESS) links.next_link.assign(value);
    if (object["@odata.deltaLink"].get_string().get(value) == simdjson::SUCCESS) links.delta_link.assign(value);
    return links;
}

}  // namespace vigil::graph
