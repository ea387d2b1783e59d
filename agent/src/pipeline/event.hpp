#pragma once

#include <vigil/plugin.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// Where an event came from: the job that collected it.
struct JobIdentity {
    std::string organization;
    std::string source_group;
    std::string tenant_id;
    std::string connector;

    // Stable across restarts and reloads: keys the job's checkpoint and de-duplication memory.
    std::string key() const;
    std::string label() const { return organization + "/" + tenant_id + "/" + connector; }
};

// An event between emit and commit, owned by the host. Fields are reused from one batch to the next, so a job in
// steady state allocates nothing per event (std::string keeps its capacity across assignments).
struct Event {
    std::string id;
    int64_t time_ms = 0;
    std::string action;
    std::string object_type;
    std::string what;
    std::string who;
    std::string where;
    std::string workstation;
    std::string status;
    std::string details_json;
    std::string raw_json;

    // Copies a plugin's event, reading only the fields its struct_size covers.
    void assign(const vigil_event& event);
};

// The pending events of one job, in emit order.
class EventBatch {
public:
    Event& append();
    void clear() { size_ = 0; }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Event& operator[](size_t index) { return events_[index]; }

private:
    std::vector<Event> events_;
    size_t size_ = 0;
};

// Events serialized for the spool: one buffer, rows pointing into it.
struct SerializedBatch {
    struct Row {
        size_t id_offset, id_size;
        size_t json_offset, json_size;
        int64_t time_ms;
        int64_t raw_offset;  // where `,"raw":` starts inside the JSON, 0 when there is no raw record
    };
    std::string buffer;
    std::vector<Row> rows;

    void clear() {
        buffer.clear();
        rows.clear();
    }
};

// An event's fields as views: what serialization reads, from a host-owned Event or straight from a plugin's event
// when no hook needs a copy to work on.
struct EventView {
    std::string_view id;
    int64_t time_ms = 0;
    std::string_view action, object_type, what, who, where, workstation, status, details_json, raw_json;

    static EventView of(const Event& event);
    static EventView of(const vigil_event& event);  // the caller checked struct_size
};

// Appends the event record (contract section 4) of event to batch.
void serialize_event(const EventView& event, const JobIdentity& job, SerializedBatch& batch);
inline void serialize_event(const Event& event, const JobIdentity& job, SerializedBatch& batch) {
    serialize_event(EventView::of(event), job, batch);
}

}  // namespace vigil
