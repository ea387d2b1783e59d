#include "pipeline/spool.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>

namespace vigil {

namespace {

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO meta(key, value) VALUES ('last_sequence', 0), ('schema_version', 1);
CREATE TABLE IF NOT EXISTS jobs(
  job_id INTEGER PRIMARY KEY,
  job_key TEXT NOT NULL UNIQUE,
  connector TEXT NOT NULL,
  checkpoint BLOB,
  updated_ms INTEGER);
-- Keyed by time first so that pruning by age is a range delete and inserts of a time-ordered stream append.
CREATE TABLE IF NOT EXISTS seen(
  job_id INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  PRIMARY KEY(job_id, time_ms, event_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events(
  sequence INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  raw_offset INTEGER NOT NULL,
  event_id TEXT NOT NULL,
  json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS cursors(output TEXT PRIMARY KEY, sequence INTEGER NOT NULL, resume_token BLOB);
)sql";

// SQLite creates its -wal and -shm files with the database file's mode, so creating it 0600 keeps all three
// private to the agent's user.
const std::string& created_private(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    return path;
}

void configure(sqlite::Database& db) {
    db.exec("PRAGMA journal_mode=WAL");
    // FULL: a commit is on disk (WAL fsynced) before commit() returns, so a checkpoint never runs ahead of its
    // events even across a power loss.
    db.exec("PRAGMA synchronous=FULL");
    db.exec("PRAGMA cache_size=-16384");  // 16 MiB: the seen index's hot end stays in memory
    db.exec("PRAGMA foreign_keys=OFF");
}

}  // namespace

Spool::Spool(const std::string& path, int64_t dedupe_window_ms)
    : db_(created_private(path), false), dedupe_window_ms_(dedupe_window_ms) {
    configure(db_);
    db_.exec(kSchema);
    insert_seen_ = std::make_unique<sqlite::Statement>(
        db_, "INSERT OR IGNORE INTO seen(job_id, time_ms, event_id) VALUES (?, ?, ?)");
    insert_event_ = std::make_unique<sqlite::Statement>(
        db_, "INSERT INTO events(sequence, job_id, time_ms, raw_offset, event_id, json) VALUES (?, ?, ?, ?, ?, ?)");
    update_checkpoint_ =
        std::make_unique<sqlite::Statement>(db_, "UPDATE jobs SET checkpoint = ?, updated_ms = ? WHERE job_id = ?");
    update_last_sequence_ =
        std::make_unique<sqlite::Statement>(db_, "UPDATE meta SET value = ? WHERE key = 'last_sequence'");
    sqlite::Statement last(db_, "SELECT value FROM meta WHERE key = 'last_sequence'");
    if (last.step()) last_sequence_ = static_cast<uint64_t>(last.column_int(0));
    sqlite::Statement jobs(db_, "SELECT job_id, connector FROM jobs");
    sqlite::Statement newest(db_, "SELECT max(time_ms) FROM seen WHERE job_id = ?");
    while (jobs.step()) {
        const int64_t job_id = jobs.column_int(0);
        connectors_[job_id] = std::string(jobs.column_text(1));
        newest.bind(1, job_id);
        if (newest.step() && !newest.column_is_null(0)) newest_ms_[job_id] = newest.column_int(0);
        newest.reset();
    }
}

int64_t Spool::job_id(const JobIdentity& job) {
    std::lock_guard lock(mutex_);
    const std::string key = job.key();
    sqlite::Statement find(db_, "SELECT job_id FROM jobs WHERE job_key = ?");
    find.bind(1, key);
    if (find.step()) return find.column_int(0);
    sqlite::Statement insert(db_, "INSERT INTO jobs(job_key, connector) VALUES (?, ?)");
    insert.bind(1, key);
    insert.bind(2, job.connector);
    insert.run();
    const int64_t id = sqlite3_last_insert_rowid(db_.handle());
    connectors_[id] = job.connector;
    return id;
}

std::string Spool::checkpoint(int64_t job_id) {
    std::lock_guard lock(mutex_);
    sqlite::Statement select(db_, "SELECT checkpoint FROM jobs WHERE job_id = ?");
    select.bind(1, job_id);
    if (!select.step() || select.column_is_null(0)) return {};
    return std::string(select.column_text(0));
}

Spool::CommitResult Spool::commit(int64_t job_id, const SerializedBatch& batch, std::string_view checkpoint,
                                  bool update_checkpoint, int64_t now_ms) {
    CommitResult result;
    {
        std::lock_guard lock(mutex_);
        uint64_t sequence = last_sequence_;
        int64_t newest = INT64_MIN;
        try {
            sqlite::Transaction transaction(db_);
            const std::string_view buffer = batch.buffer;
            for (const auto& row : batch.rows) {
                const std::string_view id = buffer.substr(row.id_offset, row.id_size);
                insert_seen_->bind(1, job_id);
                insert_seen_->bind(2, row.time_ms);
                insert_seen_->bind(3, id);
                insert_seen_->run();
                if (db_.changes() == 0) {
                    ++result.duplicates;
                    continue;
                }
                insert_event_->bind(1, static_cast<int64_t>(++sequence));
                insert_event_->bind(2, job_id);
                insert_event_->bind(3, row.time_ms);
                insert_event_->bind(4, row.raw_offset);
                insert_event_->bind(5, id);
                insert_event_->bind(6, buffer.substr(row.json_offset, row.json_size));
                insert_event_->run();
                newest = std::max(newest, row.time_ms);
                ++result.stored;
            }
            if (update_checkpoint) {
                update_checkpoint_->bind_blob(1, checkpoint);
                update_checkpoint_->bind(2, now_ms);
                update_checkpoint_->bind(3, job_id);
                update_checkpoint_->run();
            }
            if (sequence != last_sequence_) {
                update_last_sequence_->bind(1, static_cast<int64_t>(sequence));
                update_last_sequence_->run();
            }
            transaction.commit();
        } catch (...) {
            insert_seen_->reset();
            insert_event_->reset();
            throw;
        }
        last_sequence_ = sequence;
        if (result.stored > 0) newest_ms_[job_id] = std::max(newest_ms_[job_id], newest);
    }
    if (result.stored > 0) stored_.notify_all();
    return result;
}

uint64_t Spool::head() {
    std::lock_guard lock(mutex_);
    return last_sequence_;
}

void Spool::wait_for_events_after(uint64_t after, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    stored_.wait_for(lock, timeout, [&] { return last_sequence_ > after; });
}

void Spool::notify_all() {
    stored_.notify_all();
}

void Spool::set_outputs(const std::vector<std::string>& names) {
    std::lock_guard lock(mutex_);
    cursors_.clear();
    sqlite::Statement select(db_, "SELECT sequence FROM cursors WHERE output = ?");
    for (const auto& name : names) {
        select.bind(1, name);
        // A new output starts at the oldest event still spooled: it gets what is not yet pruned, nothing older.
        cursors_[name] = select.step() ? static_cast<uint64_t>(select.column_int(0)) : 0;
        select.reset();
    }
}

Spool::Cursor Spool::cursor(const std::string& output) {
    std::lock_guard lock(mutex_);
    sqlite::Statement select(db_, "SELECT sequence, resume_token FROM cursors WHERE output = ?");
    select.bind(1, output);
    if (!select.step()) return {};
    return Cursor{static_cast<uint64_t>(select.column_int(0)), std::string(select.column_text(1))};
}

void Spool::save_cursor(const std::string& output, uint64_t sequence, std::string_view resume_token) {
    std::lock_guard lock(mutex_);
    sqlite::Statement upsert(db_,
                             "INSERT INTO cursors(output, sequence, resume_token) VALUES (?, ?, ?) "
                             "ON CONFLICT(output) DO UPDATE SET sequence = excluded.sequence, "
                             "resume_token = excluded.resume_token");
    upsert.bind(1, output);
    upsert.bind(2, static_cast<int64_t>(sequence));
    upsert.bind_blob(3, resume_token);
    upsert.run();
    cursors_[output] = sequence;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_prune_ >= std::chrono::seconds(1)) {
        last_prune_ = now;
        prune_delivered_locked();
    }
}

void Spool::prune_delivered() {
    std::lock_guard lock(mutex_);
    prune_delivered_locked();
}

void Spool::prune_delivered_locked() {
    if (!cursors_.empty()) {
        uint64_t delivered = UINT64_MAX;
        for (const auto& [name, sequence] : cursors_) delivered = std::min(delivered, sequence);
        sqlite::Statement remove(db_, "DELETE FROM events WHERE sequence <= ?");
        remove.bind(1, static_cast<int64_t>(delivered));
        remove.run();
    }
    // A connector re-reads at most its overlap behind its own progress, so an id is forgotten once it is older
    // than the job's newest stored event by more than the window. Measuring from the job's progress rather than
    // from the clock keeps a backfill weeks behind, or a source with skewed times, de-duplicated.
    sqlite::Statement forget(db_, "DELETE FROM seen WHERE job_id = ? AND time_ms < ?");
    for (const auto& [job_id, newest] : newest_ms_) {
        forget.bind(1, job_id);
        forget.bind(2, newest - dedupe_window_ms_);
        forget.run();
    }
}

uint64_t Spool::backlog() {
    std::lock_guard lock(mutex_);
    uint64_t delivered = last_sequence_;
    for (const auto& [name, sequence] : cursors_) delivered = std::min(delivered, sequence);
    return last_sequence_ - delivered;
}

std::string Spool::connector_of(int64_t job_id) {
    std::lock_guard lock(mutex_);
    const auto it = connectors_.find(job_id);
    return it == connectors_.end() ? std::string() : it->second;
}

SpoolReader::SpoolReader(const std::string& path)
    : db_(path, false),
      select_(db_,
              "SELECT sequence, job_id, time_ms, raw_offset, event_id, json FROM events "
              "WHERE sequence > ? ORDER BY sequence LIMIT ?") {}

size_t SpoolReader::read(uint64_t after, size_t limit, std::vector<StoredEvent>& out) {
    select_.bind(1, static_cast<int64_t>(after));
    select_.bind(2, static_cast<int64_t>(limit));
    size_t count = 0;
    while (select_.step()) {
        // out only grows: entries past the returned count keep their strings' capacity for the next read.
        if (count == out.size()) out.emplace_back();
        StoredEvent& event = out[count++];
        event.sequence = static_cast<uint64_t>(select_.column_int(0));
        event.job_id = select_.column_int(1);
        event.time_ms = select_.column_int(2);
        event.raw_offset = select_.column_int(3);
        event.id.assign(select_.column_text(4));
        event.json.assign(select_.column_text(5));
    }
    select_.reset();
    return count;
}

}  // namespace vigil
