#include "util/json_checker.hpp"

#include "util/json_text.hpp"

namespace vigil {

bool JsonChecker::valid(std::string_view text) {
    // realloc_if_needed: the text has no padding of its own, so simdjson copies it into its padded buffer.
    simdjson::dom::element root;
    if (parser_.parse(text.data(), text.size(), true).get(root) == simdjson::SUCCESS) return true;
    return is_valid_json(text);
}

}  // namespace vigil
