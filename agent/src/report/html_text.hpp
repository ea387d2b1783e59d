#pragma once

#include <string>
#include <string_view>

namespace vigil {

// Text for HTML, in an element or a quoted attribute: & < > " ' escaped, control characters other than tab and
// line breaks replaced by U+FFFD (a NUL or an escape character has no business in a report a browser shows).
void append_html(std::string& out, std::string_view text);

}  // namespace vigil
