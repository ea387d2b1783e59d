#include "pipeline/event.hpp"

#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

#include <cstddef>

namespace vigil {

namespace {

void assign_view(std::string& target, vigil_str view) {
    if (view.data == nullptr) {
        target.clear();
    } else {
        target.assign(view.data, view.size);
    }
}

std::string_view view_of(vigil_str text) {
    return text.data == nullptr ? std::string_view{} : std::string_view(text.data, text.size);
}

void append_field(std::string& out, const char* name, std::string_view value) {
    out.append(",\"");
    out.append(name);
    out.append("\":");
    append_json_string(out, value);
}

}  // namespace

std::string JobIdentity::key() const {
    std::string key = "[";
    append_json_string(key, organization);
    key.push_back(',');
    append_json_string(key, source_group);
    key.push_back(',');
    append_json_string(key, tenant_id);
    key.push_back(',');
    append_json_string(key, connector);
    key.push_back(']');
    return key;
}

void Event::assign(const vigil_event& event) {
    // Fields of ABI 1.0 are all present when struct_size covers raw_json, the last of them; the host rejects
    // smaller events before calling this.
    assign_view(id, event.id);
    time_ms = event.time_ms;
    assign_view(action, event.action);
    assign_view(object_type, event.object_type);
    assign_view(what, event.what);
    assign_view(who, event.who);
    assign_view(where, event.where);
    assign_view(workstation, event.workstation);
    assign_view(status, event.status);
    assign_view(details_json, event.details_json);
    assign_view(raw_json, event.raw_json);
}

EventView EventView::of(const Event& event) {
    return EventView{event.id,    event.time_ms,     event.action, event.object_type,  event.what,    event.who,
                     event.where, event.workstation, event.status, event.details_json, event.raw_json};
}

EventView EventView::of(const vigil_event& event) {
    return EventView{view_of(event.id),      event.time_ms,
                     view_of(event.action),  view_of(event.object_type),
                     view_of(event.what),    view_of(event.who),
                     view_of(event.where),   view_of(event.workstation),
                     view_of(event.status),  view_of(event.details_json),
                     view_of(event.raw_json)};
}

Event& EventBatch::append() {
    if (size_ == events_.size()) events_.emplace_back();
    return events_[size_++];
}

void serialize_event(const EventView& event, const JobIdentity& job, SerializedBatch& batch) {
    std::string& out = batch.buffer;
    SerializedBatch::Row row{};
    row.id_offset = out.size();
    out.append(event.id);
    row.id_size = event.id.size();
    row.time_ms = event.time_ms;
    row.json_offset = out.size();
    out.append("{\"id\":");
    append_json_string(out, event.id);
    append_field(out, "connector", job.connector);
    append_field(out, "organization", job.organization);
    append_field(out, "source_group", job.source_group);
    append_field(out, "tenant_id", job.tenant_id);
    out.append(",\"time\":\"");
    append_rfc3339_ms(out, event.time_ms);
    out.push_back('"');
    append_field(out, "action", event.action);
    append_field(out, "object_type", event.object_type);
    append_field(out, "what", event.what);
    append_field(out, "who", event.who);
    append_field(out, "where", event.where.empty() ? std::string_view(job.tenant_id) : event.where);
    append_field(out, "workstation", event.workstation);
    append_field(out, "status", event.status);
    out.append(",\"details\":");
    out.append(event.details_json.empty() ? std::string_view("[]") : event.details_json);
    if (!event.raw_json.empty()) {
        row.raw_offset = static_cast<int64_t>(out.size() - row.json_offset);
        out.append(",\"raw\":");
        out.append(event.raw_json);
    }
    out.push_back('}');
    row.json_size = out.size() - row.json_offset;
    batch.rows.push_back(row);
}

}  // namespace vigil
