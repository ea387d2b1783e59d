#pragma once

#include "pipeline/event.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigil {

// One stored event: the event's own fields (EventView: its details and raw as JSON, raw empty when the store does
// not keep it) and where it came from. Views: the caller keeps what they point to alive while the store uses them.
struct StoredEventView : EventView {
    std::string_view connector;
    std::string_view organization;
    std::string_view source_group;
    std::string_view tenant_id;
};

// What a report asks for: one connector's events in a time range, narrowed by any of the other fields (exact
// matches; an empty field does not narrow). Newest first.
struct EventQuery {
    std::string connector;
    int64_t since_ms = INT64_MIN;  // inclusive
    int64_t until_ms = INT64_MAX;  // exclusive
    std::string organization, source_group, tenant_id, who, action, object_type, status;
    size_t limit = SIZE_MAX;
};

// The event store reports read, whichever database holds it: SQLite in data_dir (EventStore) or PostgreSQL, which
// many agents can share (PgEventStore). Both are idempotent by (tenant, connector, time, id) and answer the same
// queries the same way; the tests hold them to one behaviour.
class EventDatabase {
public:
    virtual ~EventDatabase() = default;

    struct InsertCounts {
        size_t stored = 0;
        size_t duplicates = 0;
    };
    // Stores a batch of count events in one transaction: read(i, out) fills event i, its views valid until the next
    // call. Throws (the database's error, or what read throws); nothing of the batch is then stored.
    using EventSource = std::function<void(size_t index, StoredEventView& out)>;
    virtual InsertCounts insert(size_t count, const EventSource& read) = 0;
    InsertCounts insert(const std::vector<StoredEventView>& events) {
        return insert(events.size(), [&](size_t i, StoredEventView& out) { out = events[i]; });
    }

    // Deletes events older than before_ms (by their time); returns how many.
    virtual size_t prune(int64_t before_ms) = 0;

    // Calls row for each matching event, newest first, until it returns false or limit rows were given. The view
    // is valid during the call only.
    virtual void query(const EventQuery& query, const std::function<bool(const StoredEventView&)>& row) const = 0;
    virtual size_t count(const EventQuery& query) const = 0;

    // One summary: how many of the matching events carry each value of `field` (who, workstation, action,
    // object_type, status, organization, ...), most frequent first, at most limit values.
    struct Tally {
        std::string value;
        size_t events = 0;
    };
    virtual std::vector<Tally> tally(const EventQuery& query, std::string_view field, size_t limit) const = 0;
};

// The column of a field reports may tally; throws std::invalid_argument for any other (never a caller's text in SQL).
std::string_view tally_column(std::string_view field);

// The optional narrowing fields of a query that are set, with their columns, in a fixed order.
std::vector<std::pair<std::string_view, std::string_view>> query_narrowing(const EventQuery& query);

// The event record's columns, in the order both stores select them.
inline constexpr const char* kEventColumns =
    "id, time_ms, connector, organization, source_group, tenant_id, action, object_type, what, who, where_name, "
    "workstation, status";

}  // namespace vigil
