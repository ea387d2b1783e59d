#pragma once

#include <simdjson.h>

#include <string_view>

namespace vigil {

// Checks that what a plugin hands over is exactly one well-formed JSON value, on every event's raw and details.
// simdjson's validating parser does it at about twice the speed of the SDK's byte-wise checker; when it refuses,
// the SDK checker decides, so a value simdjson cannot represent (a number beyond a double, deep nesting) is still
// accepted as the valid JSON it is. One per thread: the parser keeps its buffers between calls.
class JsonChecker {
public:
    bool valid(std::string_view text);

private:
    simdjson::dom::parser parser_;
};

}  // namespace vigil
