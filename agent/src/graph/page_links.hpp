#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil::graph {

// The paging links of a Graph response page, read from its top-level object (never from inside records, whatever
// they contain). nullopt: the page is not one well-formed JSON object (it is validated whole).
struct PageLinks {
    std::string next_link;   // @odata.nextLink: follow as an opaque URL
    std::string delta_link;  // @odata.deltaLink: the end of a delta round
};
std::optional<PageLinks> read_page_links(std::string_view page_json);

}  // namespace vigil::graph
