#include "store/event_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <stdexcept>

namespace vigil {

namespace {

// `seq` is the store's own order of arrival (the rowid: appending to the table is cheap). `events_key` makes the
// store idempotent: Graph ids are unique per tenant, a third-party connector's per connector, and an event's time
// never changes (the spool de-duplicates by time and id too).
constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS events(
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL, time_ms INTEGER NOT NULL, connector TEXT NOT NULL,
    organization TEXT NOT NULL, source_group TEXT NOT NULL, tenant_id TEXT NOT NULL,
    action TEXT NOT NULL, object_type TEXT NOT NULL, what TEXT NOT NULL, who TEXT NOT NULL,
    where_name TEXT NOT NULL, workstation TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS event_bodies(seq INTEGER PRIMARY KEY, details TEXT NOT NULL, raw TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS events_key ON events(tenant_id, connector, time_ms, id);
CREATE INDEX IF NOT EXISTS events_time ON events(connector, time_ms);
CREATE INDEX IF NOT EXISTS events_organization ON events(organization, connector, time_ms);
)SQL";

StoredEventView row_event(const sqlite::Statement& row) {
    StoredEventView event;
    event.id = row.column_text(0);
    event.time_ms = row.column_int(1);
    event.connector = row.column_text(2);
    event.organization = row.column_text(3);
    event.source_group = row.column_text(4);
    event.tenant_id = row.column_text(5);
    event.action = row.column_text(6);
    event.object_type = row.column_text(7);
    event.what = row.column_text(8);
    event.who = row.column_text(9);
    event.where = row.column_text(10);
    event.workstation = row.column_text(11);
    event.status = row.column_text(12);
    event.details_json = row.column_text(13);
    event.raw_json = row.column_text(14);
    return event;
}

// A new store is created 0600 (SQLite gives its -wal and -shm files the database file's mode), in its folder made
// if missing: the events are the tenants' audit trail, for the agent's user only.
std::string prepared(const std::string& path, bool read_only) {
    if (read_only) return path;
    const auto parent = std::filesystem::path(path).parent_path();
    std::error_code ignored;  // a folder that cannot be made is reported by SQLite's open, naming the file
    if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    return path;
}

}  // namespace

std::string default_event_store_path(const std::string& data_dir) {
    return (std::filesystem::path(data_dir) / "events.db").string();
}

EventStore::EventStore(const std::string& path, bool read_only) : db_(prepared(path, read_only), read_only) {
    if (read_only) return;
    // Larger pages than the 4 kB default: fewer pages, b-tree levels and page headers for the same events (a new
    // store only; an existing one keeps the size it was made with).
    db_.exec("PRAGMA page_size=16384");
    db_.exec("PRAGMA journal_mode=WAL");
    db_.exec("PRAGMA synchronous=FULL");  // a batch the output confirmed survives a power loss
    // Inserting into the id index touches pages all over it: keep more of them in memory than the 2 MB default.
    db_.exec("PRAGMA cache_size=-65536");
    // A batch is megabytes: checkpoint the WAL into the database every 64 MB rather than after every batch, so
    // that the index pages a run of batches keeps changing are copied (and synced) once per checkpoint.
    db_.exec("PRAGMA wal_autocheckpoint=16384");
    db_.exec(kSchema);
    insert_.emplace(db_, (std::string("INSERT INTO events(") + kEventColumns +
                          ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")
                             .c_str());
    insert_body_.emplace(db_, "INSERT INTO event_bodies(seq, details, raw) VALUES(?,?,?)");
}

EventStore::InsertCounts EventStore::insert(size_t count, const EventSource& read) {
    InsertCounts counts;
    sqlite::Transaction transaction(db_);
    StoredEventView event;
    for (size_t i = 0; i < count; ++i) {
        read(i, event);
        sqlite::Statement& insert = *insert_;
        insert.bind(1, event.id);
        insert.bind(2, event.time_ms);
        insert.bind(3, event.connector);
        insert.bind(4, event.organization);
        insert.bind(5, event.source_group);
        insert.bind(6, event.tenant_id);
        insert.bind(7, event.action);
        insert.bind(8, event.object_type);
        insert.bind(9, event.what);
        insert.bind(10, event.who);
        insert.bind(11, event.where);
        insert.bind(12, event.workstation);
        insert.bind(13, event.status);
        insert.run();
        if (sqlite3_changes(db_.handle()) == 0) {
            ++counts.duplicates;
            continue;
        }
        ++counts.stored;
        sqlite::Statement& body = *insert_body_;
        body.bind(1, sqlite3_last_insert_rowid(db_.handle()));
        body.bind(2, event.details_json.empty() ? std::string_view("[]") : event.details_json);
        if (event.raw_json.empty()) {
            body.bind_null(3);
        } else {
            body.bind(3, event.raw_json);
        }
        body.run();
    }
    transaction.commit();
    return counts;
}

size_t EventStore::prune(int64_t before_ms) {
    // Per connector, so that each delete walks the (connector, time_ms) index instead of the whole table.
    std::vector<std::string> connectors;
    {
        sqlite::Statement list(db_, "SELECT DISTINCT connector FROM events");
        while (list.step()) connectors.emplace_back(list.column_text(0));
        list.reset();
    }
    size_t removed = 0;
    sqlite::Transaction transaction(db_);
    sqlite::Statement remove_bodies(db_,
                                    "DELETE FROM event_bodies WHERE seq IN "
                                    "(SELECT seq FROM events WHERE connector = ? AND time_ms < ?)");
    sqlite::Statement remove(db_, "DELETE FROM events WHERE connector = ? AND time_ms < ?");
    for (const std::string& connector : connectors) {
        remove_bodies.bind(1, std::string_view(connector));
        remove_bodies.bind(2, before_ms);
        remove_bodies.run();
        remove.bind(1, std::string_view(connector));
        remove.bind(2, before_ms);
        remove.run();
        removed += static_cast<size_t>(sqlite3_changes(db_.handle()));
    }
    transaction.commit();
    return removed;
}

EventStore::Filter EventStore::filter_of(const EventQuery& query) {
    Filter filter;
    filter.sql = " WHERE connector = ? AND time_ms >= ? AND time_ms < ?";
    for (const auto& [column, value] : query_narrowing(query)) {
        filter.sql += std::string(" AND ") + std::string(column) + " = ?";
        filter.texts.push_back(value);
    }
    return filter;
}

void EventStore::bind_filter(sqlite::Statement& statement, const EventQuery& query, const Filter& filter) {
    statement.bind(1, std::string_view(query.connector));
    statement.bind(2, query.since_ms);
    statement.bind(3, query.until_ms);
    int index = 4;
    for (const std::string_view text : filter.texts) statement.bind(index++, text);
}

void EventStore::query(const EventQuery& query, const std::function<bool(const StoredEventView&)>& row) const {
    const Filter filter = filter_of(query);
    // Joined for the rows given only: the filter runs on the narrow table.
    sqlite::Statement select(db_, (std::string("SELECT ") + kEventColumns +
                                   ", b.details, b.raw FROM events LEFT JOIN event_bodies b ON b.seq = events.seq" +
                                   filter.sql + " ORDER BY time_ms DESC, events.seq DESC")
                                      .c_str());
    bind_filter(select, query, filter);
    size_t given = 0;
    while (given < query.limit && select.step()) {
        ++given;
        if (!row(row_event(select))) break;
    }
    select.reset();
}

size_t EventStore::count(const EventQuery& query) const {
    const Filter filter = filter_of(query);
    sqlite::Statement select(db_, ("SELECT count(*) FROM events" + filter.sql).c_str());
    bind_filter(select, query, filter);
    select.step();
    const auto events = static_cast<size_t>(select.column_int(0));
    select.reset();
    return events;
}

std::vector<EventStore::Tally> EventStore::tally(const EventQuery& query, std::string_view field, size_t limit) const {
    const std::string_view column = tally_column(field);
    const Filter filter = filter_of(query);
    const std::string sql = "SELECT " + std::string(column) + ", count(*) AS n FROM events" + filter.sql +
                            " GROUP BY " + std::string(column) + " ORDER BY n DESC, " + std::string(column) +
                            " LIMIT " + std::to_string(std::min<size_t>(limit, INT64_MAX));
    sqlite::Statement select(db_, sql.c_str());
    bind_filter(select, query, filter);
    std::vector<Tally> tallies;
    while (select.step()) {
        tallies.push_back(Tally{std::string(select.column_text(0)), static_cast<size_t>(select.column_int(1))});
    }
    select.reset();
    return tallies;
}

}  // namespace vigil
