#include "store/event_record_reader.hpp"

#include <cstring>

namespace vigil {

namespace {

// The JSON text of an array or object value, as it is in the document (simdjson 3.0 has raw_json() on arrays and
// objects, not on values).
simdjson::error_code raw_text(simdjson::simdjson_result<simdjson::ondemand::value> result, std::string_view& text) {
    simdjson::ondemand::value value;
    simdjson::ondemand::json_type type;
    if (auto error = result.get(value); error != simdjson::SUCCESS) return error;
    if (auto error = value.type().get(type); error != simdjson::SUCCESS) return error;
    if (type == simdjson::ondemand::json_type::array) {
        simdjson::ondemand::array array;
        if (auto error = value.get_array().get(array); error != simdjson::SUCCESS) return error;
        return array.raw_json().get(text);
    }
    if (type == simdjson::ondemand::json_type::object) {
        simdjson::ondemand::object object;
        if (auto error = value.get_object().get(object); error != simdjson::SUCCESS) return error;
        return object.raw_json().get(text);
    }
    text = value.raw_json_token();  // a scalar: its token
    return simdjson::SUCCESS;
}

}  // namespace

bool EventRecordReader::read(std::string_view record, StoredEventView& out, std::string& reason) {
    if (record.size() > capacity_) {
        capacity_ = record.size() * 2;
        buffer_ = simdjson::padded_string(capacity_);
    }
    std::memcpy(buffer_.data(), record.data(), record.size());
    simdjson::ondemand::document document;
    simdjson::ondemand::object object;
    if (parser_.iterate(buffer_.data(), record.size(), capacity_ + simdjson::SIMDJSON_PADDING).get(document) !=
            simdjson::SUCCESS ||
        document.get_object().get(object) != simdjson::SUCCESS) {
        reason = "the event record is not a JSON object";
        return false;
    }
    const std::pair<std::string_view, std::string_view*> wanted[] = {
        {"organization", &out.organization},
        {"source_group", &out.source_group},
        {"tenant_id", &out.tenant_id},
        {"action", &out.action},
        {"object_type", &out.object_type},
        {"what", &out.what},
        {"who", &out.who},
        {"where", &out.where},
        {"workstation", &out.workstation},
        {"status", &out.status},
    };
    for (const auto& [name, field] : wanted) *field = {};
    out.details_json = {};
    out.raw_json = {};
    // Views into the padded copy, turned into views of the caller's record: they outlive the next iterate().
    const auto in_record = [&](std::string_view text) {
        return record.substr(static_cast<size_t>(text.data() - buffer_.data()), text.size());
    };
    for (auto member : object) {
        std::string_view key;
        if (member.unescaped_key().get(key) != simdjson::SUCCESS) {
            reason = "the event record is not valid JSON";
            return false;
        }
        if (key == "details" || key == "raw") {
            std::string_view text;
            if (raw_text(member.value(), text) != simdjson::SUCCESS) {
                reason = "the event record's '" + std::string(key) + "' is not valid JSON";
                return false;
            }
            // raw_json() keeps the whitespace after the value.
            while (!text.empty() &&
                   (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t')) {
                text.remove_suffix(1);
            }
            (key == "details" ? out.details_json : out.raw_json) = in_record(text);
            continue;
        }
        for (const auto& [name, field] : wanted) {
            if (key != name) continue;
            if (member.value().get_string().get(*field) != simdjson::SUCCESS) {
                reason = "the event record's '" + std::string(name) + "' is not a string";
                return false;
            }
            break;
        }
    }
    return true;
}

}  // namespace vigil
