#include "graph/page_links.hpp"

#include <simdjson.h>

namespace vigil::graph {

std::optional<PageLinks> read_page_links(std::string_view page_json) {
    // On-demand parsing skips the records' bodies: finding the links costs a scan, not a DOM.
    thread_local simdjson::ondemand::parser parser;
    const simdjson::padded_string padded(page_json);
    PageLinks links;
    simdjson::ondemand::document document;
    if (parser.iterate(padded).get(document) != simdjson::SUCCESS) return std::nullopt;
    simdjson::ondemand::object object;
    if (document.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
    for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS) return std::nullopt;
        if (key == "@odata.nextLink" || key == "@odata.deltaLink") {
            std::string_view value;
            if (field.value().get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
            (key == "@odata.nextLink" ? links.next_link : links.delta_link).assign(value);
        }
        // Other fields (the records) are skipped by the iteration itself, unparsed.
    }
    return links;
}

}  // namespace vigil::graph
