#include "store/event_record_reader.hpp"

#include <cstring>

namespace vigil {

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
    size_t found = 0;
    for (auto member : object) {
        std::string_view key;
        if (member.unescaped_key().get(key) != simdjson::SUCCESS) {
            reason = "the event record is not valid JSON";
            return false;
        }
        for (const auto& [name, field] : wanted) {
            if (key != name) continue;
            if (member.value().get_string().get(*field) != simdjson::SUCCESS) {
                reason = "the event record's '" + std::string(name) + "' is not a string";
                return false;
            }
            ++found;
            break;
        }
        if (found == std::size(wanted)) break;  // details and raw are not read
    }
    out.record = record;
    return true;
}

}  // namespace vigil
