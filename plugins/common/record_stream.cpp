#include "record_stream.hpp"

namespace vigil::connectors {

bool RecordStream::start(std::string_view page, simdjson::ondemand::array& values, std::string& error) {
    buffer_.reserve(page.size() + simdjson::SIMDJSON_PADDING);
    buffer_.assign(page);
    const simdjson::padded_string_view padded(buffer_.data(), buffer_.size(), buffer_.capacity());
    if (const auto failure = parser_.iterate(padded).get(document_); failure != simdjson::SUCCESS) {
        error = std::string("the page is not valid JSON: ") + simdjson::error_message(failure);
        return false;
    }
    if (document_.find_field_unordered("value").get_array().get(values) != simdjson::SUCCESS) {
        error = "the page has no \"value\" array";
        return false;
    }
    return true;
}

std::string_view RecordStream::trimmed(std::string_view raw) {
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
        raw.remove_suffix(1);
    }
    return raw;
}

}  // namespace vigil::connectors
