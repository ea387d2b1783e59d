#include "store/pg_event_store.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <regex>
#include <stdexcept>

namespace vigil {

namespace {

// vigil_events.seq is the order of arrival, so that events of one millisecond come back newest first as in SQLite.
constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS vigil_events(
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL, time_ms BIGINT NOT NULL, connector TEXT NOT NULL,
    organization TEXT NOT NULL, source_group TEXT NOT NULL, tenant_id TEXT NOT NULL,
    action TEXT NOT NULL, object_type TEXT NOT NULL, what TEXT NOT NULL, who TEXT NOT NULL,
    where_name TEXT NOT NULL, workstation TEXT NOT NULL, status TEXT NOT NULL,
    details TEXT NOT NULL, raw TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS vigil_events_key ON vigil_events(tenant_id, connector, time_ms, id);
CREATE INDEX IF NOT EXISTS vigil_events_time ON vigil_events(connector, time_ms);
CREATE INDEX IF NOT EXISTS vigil_events_organization ON vigil_events(organization, connector, time_ms);
)SQL";

// Agents starting together must not race to create the table: one transaction-scoped advisory lock (an arbitrary
// constant: "vigil" in ASCII) serialises the CREATE statements.
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(478711457132)";

constexpr const char* kIncoming =
    "CREATE TEMPORARY TABLE IF NOT EXISTS vigil_incoming(id TEXT, time_ms BIGINT, connector TEXT, organization TEXT, "
    "source_group TEXT, tenant_id TEXT, action TEXT, object_type TEXT, what TEXT, who TEXT, where_name TEXT, "
    "workstation TEXT, status TEXT, details TEXT, raw TEXT) ON COMMIT DELETE ROWS";

// COPY's text format: backslash, tab, newline and carriage return escaped; \N is NULL.
void append_copy_text(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\0':  // PostgreSQL text cannot hold NUL: U+FFFD stands in
                out += "\xEF\xBF\xBD";
                break;
            default:
                out += c;
        }
    }
}

void append_copy_row(std::string& out, const StoredEventView& event) {
    append_copy_text(out, event.id);
    out += '\t';
    char number[24];
    const auto [end, ignored] = std::to_chars(number, number + sizeof(number), event.time_ms);
    out.append(number, end);
    for (const std::string_view field :
         {event.connector, event.organization, event.source_group, event.tenant_id, event.action, event.object_type,
          event.what, event.who, event.where, event.workstation, event.status}) {
        out += '\t';
        append_copy_text(out, field);
    }
    out += '\t';
    append_copy_text(out, event.details_json.empty() ? std::string_view("[]") : event.details_json);
    out += '\t';
    if (event.raw_json.empty()) {
        out += "\\N";
    } else {
        append_copy_text(out, event.raw_json);
    }
    out += '\n';
}

std::string where_of(pg_conn* connection) {
    const char* host = PQhost(connection);
    const char* port = PQport(connection);
    const char* database = PQdb(connection);
    return std::string(host ? host : "?") + ":" + (port ? port : "?") + "/" + (database ? database : "?");
}

std::string trimmed(const char* message) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

std::string redact_dsn(const std::string& dsn) {
    static const std::regex kKeyValue(R"((password\s*=\s*)('[^']*'|\S+))", std::regex::icase);
    static const std::regex kUri(R"((://[^:/@]*:)[^@]*@)");
    return std::regex_replace(std::regex_replace(dsn, kKeyValue, "$1***"), kUri, "$1***@");
}

struct PgEventStore::Result {
    PGresult* handle = nullptr;
    explicit Result(PGresult* result) : handle(result) {}
    ~Result() { PQclear(handle); }
    Result(Result&& other) noexcept : handle(std::exchange(other.handle, nullptr)) {}
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result& operator=(Result&&) = delete;
    std::string_view text(int row, int column) const {
        return {PQgetvalue(handle, row, column), static_cast<size_t>(PQgetlength(handle, row, column))};
    }
    int64_t number(int row, int column) const {
        int64_t value = 0;
        const std::string_view digits = text(row, column);
        std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return value;
    }
};

PgEventStore::PgEventStore(const std::string& dsn) : dsn_(dsn) {
    ensure_connected();
    run("BEGIN");
    try {
        run(kSchemaLock);
        run(kSchema);
        run("COMMIT");
    } catch (...) {
        PQclear(PQexec(connection_, "ROLLBACK"));
        throw;
    }
}

PgEventStore::~PgEventStore() {
    if (connection_ != nullptr) PQfinish(connection_);
}

void PgEventStore::ensure_connected() const {
    if (connection_ != nullptr && PQstatus(connection_) == CONNECTION_OK) return;
    if (connection_ != nullptr) {
        PQreset(connection_);  // a server restart or a dropped connection: one new attempt, then the caller retries
    } else {
        connection_ = PQconnectdb(dsn_.c_str());
    }
    if (PQstatus(connection_) != CONNECTION_OK) {
        const std::string why = trimmed(PQerrorMessage(connection_));
        PQfinish(connection_);
        connection_ = nullptr;
        throw std::runtime_error("cannot connect to the PostgreSQL event store (dsn: " + redact_dsn(dsn_) +
                                 "): " + why);
    }
    where_ = where_of(connection_);
    Result incoming(PQexec(connection_, kIncoming));
    if (PQresultStatus(incoming.handle) != PGRES_COMMAND_OK)
        throw std::runtime_error("PostgreSQL event store " + where_ + ": " + trimmed(PQerrorMessage(connection_)));
}

PgEventStore::Result PgEventStore::run(const std::string& sql, const std::vector<std::string>& parameters) const {
    ensure_connected();
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters) values.push_back(parameter.c_str());
    // Without parameters, PQexec: the schema is several statements, which PQexecParams refuses.
    Result result(values.empty() ? PQexec(connection_, sql.c_str())
                                 : PQexecParams(connection_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                                values.data(), nullptr, nullptr, 0));
    const ExecStatusType status = PQresultStatus(result.handle);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw std::runtime_error("PostgreSQL event store " + where_ + ": " + trimmed(PQerrorMessage(connection_)));
    }
    return result;
}

PgEventStore::InsertCounts PgEventStore::insert(size_t count, const EventSource& read) {
    InsertCounts counts;
    if (count == 0) return counts;
    copy_buffer_.clear();
    StoredEventView event;
    for (size_t i = 0; i < count; ++i) {  // read everything first: a record that fails stores nothing
        event = {};
        read(i, event);
        append_copy_row(copy_buffer_, event);
    }
    run("BEGIN");
    try {
        Result copy(PQexec(connection_,
                           "COPY vigil_incoming(id, time_ms, connector, organization, source_group, tenant_id, action, "
                           "object_type, what, who, where_name, workstation, status, details, raw) FROM STDIN"));
        if (PQresultStatus(copy.handle) != PGRES_COPY_IN)
            throw std::runtime_error("PostgreSQL event store " + where_ + ": " + trimmed(PQerrorMessage(connection_)));
        if (PQputCopyData(connection_, copy_buffer_.data(), static_cast<int>(copy_buffer_.size())) != 1 ||
            PQputCopyEnd(connection_, nullptr) != 1)
            throw std::runtime_error("PostgreSQL event store " + where_ + ": " + trimmed(PQerrorMessage(connection_)));
        Result copied(PQgetResult(connection_));
        if (PQresultStatus(copied.handle) != PGRES_COMMAND_OK)
            throw std::runtime_error("PostgreSQL event store " + where_ + ": " + trimmed(PQerrorMessage(connection_)));
        while (PGresult* more = PQgetResult(connection_)) PQclear(more);
        const Result inserted =
            run(std::string("INSERT INTO vigil_events(") + kEventColumns + ", details, raw) SELECT " + kEventColumns +
                ", details, raw FROM vigil_incoming ON CONFLICT DO NOTHING");
        counts.stored = static_cast<size_t>(std::stoull(PQcmdTuples(inserted.handle)));
        run("COMMIT");
    } catch (...) {
        if (connection_ != nullptr) PQclear(PQexec(connection_, "ROLLBACK"));
        throw;
    }
    counts.duplicates = count - counts.stored;
    return counts;
}

size_t PgEventStore::prune(int64_t before_ms) {
    const Result deleted = run("DELETE FROM vigil_events WHERE time_ms < $1", {std::to_string(before_ms)});
    return static_cast<size_t>(std::stoull(PQcmdTuples(deleted.handle)));
}

namespace {

// The WHERE clause ($1 connector, $2 since, $3 until, then the narrowing fields) and its parameters.
std::pair<std::string, std::vector<std::string>> filter_of(const EventQuery& query) {
    std::pair<std::string, std::vector<std::string>> filter{
        " WHERE connector = $1 AND time_ms >= $2 AND time_ms < $3",
        {query.connector, std::to_string(query.since_ms), std::to_string(query.until_ms)}};
    for (const auto& [column, value] : query_narrowing(query)) {
        filter.second.emplace_back(value);
        filter.first += " AND " + std::string(column) + " = $" + std::to_string(filter.second.size());
    }
    return filter;
}

}  // namespace

void PgEventStore::query(const EventQuery& query, const std::function<bool(const StoredEventView&)>& row) const {
    const auto [where, parameters] = filter_of(query);
    std::string sql = std::string("SELECT ") + kEventColumns + ", details, raw FROM vigil_events" + where +
                      " ORDER BY time_ms DESC, seq DESC";
    if (query.limit != SIZE_MAX) sql += " LIMIT " + std::to_string(query.limit);
    const Result result = run(sql, parameters);
    const int rows = PQntuples(result.handle);
    for (int i = 0; i < rows; ++i) {
        StoredEventView event;
        event.id = result.text(i, 0);
        event.time_ms = result.number(i, 1);
        event.connector = result.text(i, 2);
        event.organization = result.text(i, 3);
        event.source_group = result.text(i, 4);
        event.tenant_id = result.text(i, 5);
        event.action = result.text(i, 6);
        event.object_type = result.text(i, 7);
        event.what = result.text(i, 8);
        event.who = result.text(i, 9);
        event.where = result.text(i, 10);
        event.workstation = result.text(i, 11);
        event.status = result.text(i, 12);
        event.details_json = result.text(i, 13);
        event.raw_json = PQgetisnull(result.handle, i, 14) ? std::string_view() : result.text(i, 14);
        if (!row(event)) break;
    }
}

size_t PgEventStore::count(const EventQuery& query) const {
    const auto [where, parameters] = filter_of(query);
    const Result result = run("SELECT count(*) FROM vigil_events" + where, parameters);
    return static_cast<size_t>(result.number(0, 0));
}

std::vector<PgEventStore::Tally> PgEventStore::tally(const EventQuery& query, std::string_view field,
                                                     size_t limit) const {
    const std::string column(tally_column(field));
    const auto [where, parameters] = filter_of(query);
    // COLLATE "C": the same order of ties as SQLite's byte order, whatever the database's locale.
    std::string sql = "SELECT " + column + ", count(*) AS n FROM vigil_events" + where + " GROUP BY " + column +
                      " ORDER BY n DESC, " + column + " COLLATE \"C\"";
    if (limit != SIZE_MAX) sql += " LIMIT " + std::to_string(std::min<size_t>(limit, INT64_MAX));
    const Result result = run(sql, parameters);
    std::vector<Tally> tallies;
    for (int i = 0; i < PQntuples(result.handle); ++i) {
        tallies.push_back(Tally{std::string(result.text(i, 0)), static_cast<size_t>(result.number(i, 1))});
    }
    return tallies;
}

}  // namespace vigil
