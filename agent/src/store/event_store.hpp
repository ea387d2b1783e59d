#pragma once

#include "pipeline/event.hpp"
#include "util/sqlite.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

// The built-in event store on SQLite: what reports read. A narrow table of the fields reports filter and count on,
// and beside it the bodies (details, raw) that only the rows a report shows need: a filter that scans a month reads
// a few hundred bytes per event, not kilobytes. Idempotent by (tenant, connector, time, id), an index that grows
// at its end as events arrive in time order (a random id first would rewrite pages all over it with every batch),
// so a replayed batch or a second agent delivering the same event stores it once. Indexed for the report queries:
// a connector's time range, optionally one organization's. One writer (the store output's thread); readers
// (reports) open their own read-only connection. WAL, synchronous=FULL: an insert that returned is on disk.
class EventStore {
public:
    // Opens or creates the store at path; throws sqlite::Error naming the file and what SQLite said.
    EventStore(const std::string& path, bool read_only);

    struct InsertCounts {
        size_t stored = 0;
        size_t duplicates = 0;
    };
    // Stores a batch of count events in one transaction: read(i, out) fills event i, its views valid until the next
    // call. Throws sqlite::Error, or what read throws; nothing of the batch is then stored.
    using EventSource = std::function<void(size_t index, StoredEventView& out)>;
    InsertCounts insert(size_t count, const EventSource& read);
    InsertCounts insert(const std::vector<StoredEventView>& events);

    // Deletes events older than before_ms (by their time); returns how many.
    size_t prune(int64_t before_ms);

    // Calls row for each matching event, newest first, until it returns false or limit rows were given. The view
    // is valid during the call only.
    void query(const EventQuery& query, const std::function<bool(const StoredEventView&)>& row) const;
    size_t count(const EventQuery& query) const;

    // One summary: how many of the matching events carry each value of `field` (who, workstation, action,
    // object_type, status, organization, ...), most frequent first, at most limit values.
    struct Tally {
        std::string value;
        size_t events = 0;
    };
    std::vector<Tally> tally(const EventQuery& query, std::string_view field, size_t limit) const;

    const std::string& path() const { return db_.path(); }

private:
    // The WHERE clause and its bindings for a query, shared by query, count and tally.
    struct Filter {
        std::string sql;
        std::vector<std::string_view> texts;  // bound after the connector and the time range
    };
    static Filter filter_of(const EventQuery& query);
    static void bind_filter(sqlite::Statement& statement, const EventQuery& query, const Filter& filter);

    mutable sqlite::Database db_;
    std::optional<sqlite::Statement> insert_;
    std::optional<sqlite::Statement> insert_body_;
};

// The store's default file in the data folder.
std::string default_event_store_path(const std::string& data_dir);

}  // namespace vigil
