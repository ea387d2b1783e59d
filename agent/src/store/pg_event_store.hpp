#pragma once

#include "store/event_database.hpp"

#include <memory>
#include <string>

struct pg_conn;

namespace vigil {

// The event store on PostgreSQL (the store output's `dsn:`), so that many agents report into one database. One
// table, vigil_events, with the same columns, idempotence key and indexes as the SQLite store (PostgreSQL keeps
// large details out of line by itself). A batch goes in through COPY into a temporary table and one
// INSERT ... ON CONFLICT DO NOTHING, in one transaction. Errors never repeat the DSN (it may hold a password).
class PgEventStore final : public EventDatabase {
public:
    // Connects and creates the table and indexes if missing; throws std::runtime_error saying where and why.
    explicit PgEventStore(const std::string& dsn);
    ~PgEventStore() override;
    PgEventStore(const PgEventStore&) = delete;
    PgEventStore& operator=(const PgEventStore&) = delete;

    using EventDatabase::insert;
    InsertCounts insert(size_t count, const EventSource& read) override;
    size_t prune(int64_t before_ms) override;
    void query(const EventQuery& query, const std::function<bool(const StoredEventView&)>& row) const override;
    size_t count(const EventQuery& query) const override;
    std::vector<Tally> tally(const EventQuery& query, std::string_view field, size_t limit) const override;

    // "host:port/database", for messages.
    const std::string& where() const { return where_; }

private:
    struct Result;
    Result run(const std::string& sql, const std::vector<std::string>& parameters = {}) const;
    void ensure_connected() const;

    std::string dsn_;
    mutable std::string where_;
    mutable pg_conn* connection_ = nullptr;
    std::string copy_buffer_;  // one batch in COPY text format; reused
};

// The text of a DSN with any password replaced, for messages: "host=db user=vigil password=***".
std::string redact_dsn(const std::string& dsn);

}  // namespace vigil
