#pragma once

#include <string>
#include <string_view>

namespace vigil {

// Appends text as a JSON string literal (with quotes). Control characters are escaped; bytes of invalid UTF-8 are
// replaced by U+FFFD so that every line we write is valid JSON whatever a source sent.
void append_json_string(std::string& out, std::string_view text);

// True when text is exactly one well-formed JSON value (surrounding white space allowed). A single pass without a
// DOM: it guards the event record against a plugin handing over broken `details` or `raw` text.
bool is_valid_json(std::string_view text);

}  // namespace vigil
