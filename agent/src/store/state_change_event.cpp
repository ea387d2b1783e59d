#include "store/state_change_event.hpp"

#include "crypto/sha256.hpp"
#include "store/json_members.hpp"
#include "util/json_text.hpp"

#include <string>

namespace vigil {

namespace {

std::string change_id(const StateChange& change, int64_t snapshot_ms) {
    std::string key = change.kind;
    key += '\0';
    key += change.id;
    key += '\0';
    key += change.property;
    key += '\0';
    key += std::to_string(snapshot_ms);
    return "state-" + crypto::sha256_hex(key, 16);
}

void append_details(std::string& out, const std::vector<PropertyChange>& properties) {
    out = "[";
    for (const PropertyChange& property : properties) {
        if (out.size() > 1) out += ',';
        out += "{\"name\":";
        append_json_string(out, property.name);
        out += ",\"old\":";
        out += property.old_json;  // compact JSON from the store's own parse
        out += ",\"new\":";
        out += property.new_json;
        out += '}';
    }
    out += ']';
}

}  // namespace

void state_change_event(const StateChange& change, int64_t snapshot_ms, std::string_view where, Event& out) {
    out.id = change_id(change, snapshot_ms);
    out.time_ms = snapshot_ms;
    out.object_type = change.object_type;
    out.what = change.name;
    out.who.clear();
    out.where.assign(where);
    out.workstation.clear();
    out.status = "success";
    out.raw_json.clear();
    switch (change.action) {
        case StateChange::Action::added:
            out.action = "Added";
            append_details(out.details_json, all_members(change.new_json, true));
            break;
        case StateChange::Action::removed:
            out.action = "Removed";
            append_details(out.details_json, all_members(change.old_json, false));
            break;
        case StateChange::Action::modified:
            out.action = "Modified";
            append_details(out.details_json, {PropertyChange{change.property, change.old_json, change.new_json}});
            break;
    }
}

}  // namespace vigil
