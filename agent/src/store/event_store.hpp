#pragma once

#include "store/event_database.hpp"
#include "util/sqlite.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// The built-in event store on SQLite: what reports read. A narrow table of the fields reports filter and count on,
// and beside it the bodies (details, raw) that only the rows a report shows need: a filter that scans a month reads
// a few hundred bytes per event, not kilobytes. Idempotent by (tenant, connector, time, id), an index that grows
// at its end as events arrive in time order (a random id first would rewrite pages all over it with every batch),
// so a replayed batch or a second agent delivering the same event stores it once. Indexed for the report queries:
// a connector's time range, optionally one organization's. One writer (the store output's thread); readers
// (reports) open their own read-only connection. WAL, synchronous=FULL: an insert that returned is on disk.
class EventStore final : public EventDatabase {
public:
    // Opens or creates the store at path; throws sqlite::Error naming the file and what SQLite said.
    EventStore(const std::string& path, bool read_only);

    using EventDatabase::insert;
    InsertCounts insert(size_t count, const EventSource& read) override;
    size_t prune(int64_t before_ms) override;
    void query(const EventQuery& query, const std::function<bool(const StoredEventView&)>& row) const override;
    size_t count(const EventQuery& query) const override;
    std::vector<Tally> tally(const EventQuery& query, std::string_view field, size_t limit) const override;

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
