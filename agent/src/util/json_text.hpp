#pragma once

#include <vigil/json_text.hpp>

#include <string>
#include <string_view>

namespace vigil {

// The SDK's JSON helpers (sdk/include/vigil/json_text.hpp), one implementation for the host and the plugins.
// append_json_string: text as a JSON string literal, invalid UTF-8 replaced by U+FFFD. is_valid_json: exactly one
// well-formed value; it guards the event record against a plugin handing over broken `details` or `raw` text.
using sdk::append_json_string;
using sdk::is_valid_json;

}  // namespace vigil
