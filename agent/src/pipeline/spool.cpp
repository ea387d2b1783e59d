#include "pipeline/spool.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <filesystem>

namespace vigil {

namespace {

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT OR IGNORE INTO meta(key, value) VALUES
  ('schema_version', 2), ('last_sequence', 0), ('tail_segment', 0), ('tail_offset', 0);
CREATE TABLE IF NOT EXISTS jobs(
  job_id INTEGER PRIMARY KEY,
  job_key TEXT NOT NULL UNIQUE,
  connector TEXT NOT NULL,
  checkpoint BLOB,
  updated_ms INTEGER);
CREATE TABLE IF NOT EXISTS cursors(output TEXT PRIMARY KEY, sequence INTEGER NOT NULL, resume_token BLOB);
)sql";

// SQLite creates its -wal and -shm files with the database file's mode, so creating it 0600 keeps all three
// private to the agent's user.
std::string created_private(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    return path;
}

int64_t meta_value(sqlite::Database& db, const char* key) {
    sqlite::Statement select(db, "SELECT value FROM meta WHERE key = ?");
    select.bind(1, std::string_view(key));
    return select.step() ? select.column_int(0) : 0;
}

}  // namespace

Spool::Spool(const std::string& data_dir, Options options)
    : segment_dir_((std::filesystem::path(data_dir) / "segments").string()),
      db_(created_private((std::filesystem::path(data_dir) / "spool.db").string()), false) {
    db_.exec("PRAGMA journal_mode=WAL");
    // FULL: a commit is on disk before commit() returns, so a checkpoint never runs ahead of its events.
    db_.exec("PRAGMA synchronous=FULL");
    db_.exec(kSchema);
    dedupe_ = std::make_unique<DedupeIndex>(db_, options.dedupe_window_ms, options.dedupe_cache_bytes);
    update_checkpoint_ =
        std::make_unique<sqlite::Statement>(db_, "UPDATE jobs SET checkpoint = ?, updated_ms = ? WHERE job_id = ?");
    update_meta_ = std::make_unique<sqlite::Statement>(db_, "UPDATE meta SET value = ? WHERE key = ?");
    last_sequence_ = static_cast<uint64_t>(meta_value(db_, "last_sequence"));
    tail_ = SegmentPosition{static_cast<uint64_t>(meta_value(db_, "tail_segment")),
                            static_cast<uint64_t>(meta_value(db_, "tail_offset"))};
    segments_ = std::make_unique<SegmentWriter>(segment_dir_, options.segment_bytes);
    segments_->recover(tail_);
    sqlite::Statement jobs(db_, "SELECT job_id, connector FROM jobs");
    while (jobs.step()) connectors_[jobs.column_int(0)] = std::string(jobs.column_text(1));
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
    return std::string(select.column_blob(0));
}

void Spool::write_tail_locked(SegmentPosition tail, uint64_t last_sequence) {
    const std::pair<const char*, int64_t> values[] = {{"last_sequence", static_cast<int64_t>(last_sequence)},
                                                      {"tail_segment", static_cast<int64_t>(tail.segment)},
                                                      {"tail_offset", static_cast<int64_t>(tail.offset)}};
    for (const auto& [key, value] : values) {
        update_meta_->bind(1, value);
        update_meta_->bind(2, std::string_view(key));
        update_meta_->run();
    }
}

Spool::CommitResult Spool::commit(int64_t job_id, const SerializedBatch& batch, std::string_view checkpoint,
                                  bool update_checkpoint, int64_t now_ms) {
    CommitResult result;
    {
        std::lock_guard lock(mutex_);
        dedupe_->filter(job_id, batch, new_rows_);
        result.stored = new_rows_.size();
        result.duplicates = batch.rows.size() - new_rows_.size();
        if (new_rows_.empty() && !update_checkpoint) return result;

        uint64_t sequence = last_sequence_;
        framed_.clear();
        const std::string_view buffer = batch.buffer;
        for (const uint32_t index : new_rows_) {
            const auto& row = batch.rows[index];
            frame_record(framed_, ++sequence, job_id, row.time_ms, row.raw_offset,
                         buffer.substr(row.id_offset, row.id_size), buffer.substr(row.json_offset, row.json_size));
        }
        SegmentPosition tail = tail_;
        try {
            // The records are on disk before the transaction that makes them count.
            if (!framed_.empty()) tail = segments_->append_durably(framed_, last_sequence_ + 1);
            sqlite::Transaction transaction(db_);
            dedupe_->record(job_id, batch, new_rows_);
            if (update_checkpoint) {
                update_checkpoint_->bind_blob(1, checkpoint);
                update_checkpoint_->bind(2, now_ms);
                update_checkpoint_->bind(3, job_id);
                update_checkpoint_->run();
            }
            if (sequence != last_sequence_) write_tail_locked(tail, sequence);
            transaction.commit();
        } catch (...) {
            dedupe_->rolled_back();
            segments_->rewind(tail_);  // the next commit continues from the committed tail
            throw;
        }
        dedupe_->committed();
        last_sequence_ = sequence;
        tail_ = tail;
    }
    if (result.stored > 0) stored_.notify_all();
    return result;
}

uint64_t Spool::head() {
    std::lock_guard lock(mutex_);
    return last_sequence_;
}

SegmentPosition Spool::tail() {
    std::lock_guard lock(mutex_);
    return tail_;
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
    return Cursor{static_cast<uint64_t>(select.column_int(0)), std::string(select.column_blob(1))};
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
    if (now - last_prune_ >= std::chrono::seconds(30)) {
        last_prune_ = now;
        prune_locked();
    }
}

void Spool::prune_delivered() {
    std::lock_guard lock(mutex_);
    prune_locked();
}

void Spool::prune_locked() {
    if (!cursors_.empty()) {
        uint64_t delivered = UINT64_MAX;
        for (const auto& [name, sequence] : cursors_) delivered = std::min(delivered, sequence);
        segments_->remove_delivered(delivered);
    }
    sqlite::Transaction transaction(db_);  // one fsync for all jobs
    dedupe_->prune();
    transaction.commit();
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

}  // namespace vigil
