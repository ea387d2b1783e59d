#include "pipeline/spool.hpp"

#include <spdlog/spdlog.h>

#include <fcntl.h>
#include <unistd.h>
#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace vigil {

namespace {

constexpr auto kWaitForRoom = std::chrono::seconds(2);
constexpr auto kWaitForDisk = std::chrono::seconds(30);

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
CREATE TABLE IF NOT EXISTS seen_batches(
  job_id INTEGER NOT NULL, min_time INTEGER NOT NULL, max_time INTEGER NOT NULL, ids BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS seen_batches_by_time ON seen_batches(job_id, max_time);
CREATE TABLE IF NOT EXISTS cursors(output TEXT PRIMARY KEY, sequence INTEGER NOT NULL, resume_token BLOB);
)sql";

// SQLite creates its -wal and -shm files with the database file's mode, so creating it 0600 keeps all three
// private to the agent's user.
std::string created_private(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) ::close(fd);
    return path;
}

std::string database_path(const std::string& data_dir) {
    return created_private((std::filesystem::path(data_dir) / "spool.db").string());
}

void prepare(sqlite::Database& db) {
    db.exec("PRAGMA journal_mode=WAL");
    // Every transaction is made durable by an explicit fsync of the WAL (synchronous=FULL): the writer commits
    // many jobs' pages in one transaction, so this costs one fsync per group, not per page.
    db.exec("PRAGMA synchronous=FULL");
    db.exec(kSchema);
}

int64_t meta_value(sqlite::Database& db, const char* key) {
    sqlite::Statement select(db, "SELECT value FROM meta WHERE key = ?");
    select.bind(1, std::string_view(key));
    return select.step() ? select.column_int(0) : 0;
}

}  // namespace

Spool::Spool(const std::string& data_dir, Options options)
    : options_(options),
      data_dir_(data_dir),
      segment_dir_((std::filesystem::path(data_dir) / "segments").string()),
      db_(database_path(data_dir), false),
      index_db_(database_path(data_dir), false) {
    prepare(db_);
    insert_ids_ = std::make_unique<sqlite::Statement>(
        db_, "INSERT INTO seen_batches(job_id, min_time, max_time, ids) VALUES (?, ?, ?, ?)");
    update_checkpoint_ =
        std::make_unique<sqlite::Statement>(db_, "UPDATE jobs SET checkpoint = ?, updated_ms = ? WHERE job_id = ?");
    update_meta_ = std::make_unique<sqlite::Statement>(db_, "UPDATE meta SET value = ? WHERE key = ?");
    durable_sequence_ = written_sequence_ = static_cast<uint64_t>(meta_value(db_, "last_sequence"));
    durable_tail_ = written_tail_ = SegmentPosition{static_cast<uint64_t>(meta_value(db_, "tail_segment")),
                                                    static_cast<uint64_t>(meta_value(db_, "tail_offset"))};
    segments_ = std::make_unique<SegmentWriter>(segment_dir_, options.segment_bytes);
    segments_->recover(durable_tail_);
    bytes_ = scan_bytes();
    dedupe_ = std::make_unique<DedupeIndex>(index_db_, options.dedupe_cache_bytes);
    sqlite::Statement jobs(db_, "SELECT job_id, connector FROM jobs");
    while (jobs.step()) connectors_[jobs.column_int(0)] = std::string(jobs.column_text(1));
    writer_ = std::thread([this] { write_loop(); });
}

Spool::~Spool() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_.notify_all();
    room_.notify_all();
    writer_.join();
}

int64_t Spool::job_id(const JobIdentity& job) {
    const std::string key = job.key();
    int64_t id = 0;
    {
        std::lock_guard db_lock(db_mutex_);
        sqlite::Statement find(db_, "SELECT job_id FROM jobs WHERE job_key = ?");
        find.bind(1, key);
        if (find.step()) return find.column_int(0);
        sqlite::Statement insert(db_, "INSERT INTO jobs(job_key, connector) VALUES (?, ?)");
        insert.bind(1, key);
        insert.bind(2, job.connector);
        insert.run();
        id = sqlite3_last_insert_rowid(db_.handle());
    }
    std::lock_guard lock(mutex_);
    connectors_[id] = job.connector;
    return id;
}

std::string Spool::checkpoint(int64_t job_id) {
    std::lock_guard db_lock(db_mutex_);
    sqlite::Statement select(db_, "SELECT checkpoint FROM jobs WHERE job_id = ?");
    select.bind(1, job_id);
    if (!select.step() || select.column_is_null(0)) return {};
    return std::string(select.column_blob(0));
}

Spool::CommitResult Spool::commit(int64_t job_id, const SerializedBatch& batch, std::string_view checkpoint,
                                  bool update_checkpoint, int64_t now_ms) {
    CommitResult result;
    std::unique_lock lock(mutex_);
    if (const auto failed = failed_jobs_.find(job_id); failed != failed_jobs_.end()) {
        throw std::runtime_error("an earlier commit of this run was not stored: " + failed->second);
    }
    if (options_.budget_bytes > 0 && bytes_ >= options_.budget_bytes) {
        // A connector can outrun the disk and the outputs for a moment: give them a little time to make room
        // before calling the spool full (and before dropping anything); once per episode, which ends when a
        // delivery brings the spool back under its budget.
        const auto now = std::chrono::steady_clock::now();
        if (!full_since_) full_since_ = now;
        if (now - *full_since_ < kWaitForRoom) {
            room_.wait_for(lock, kWaitForRoom - (now - *full_since_),
                           [&] { return bytes_ < options_.budget_bytes || stopping_; });
        }
        if (bytes_ >= options_.budget_bytes) {
            std::string reason = check_budget_locked();
            if (!reason.empty() && options_.drop_oldest_when_full) {
                // Only segments on disk are dropped; what fills the spool beyond them waits for the writer's
                // next fsync, which needs no output.
                durable_.wait_for(lock, kWaitForDisk,
                                  [&] { return durable_sequence_ == written_sequence_ || stopping_; });
                reason = check_budget_locked();
            }
            if (!reason.empty()) throw Full(reason);
        }
    }
    dedupe_->filter(job_id, batch, new_rows_);
    result.stored = new_rows_.size();
    result.duplicates = batch.rows.size() - new_rows_.size();
    if (new_rows_.empty() && !update_checkpoint) return result;

    uint64_t sequence = written_sequence_;
    framed_.clear();
    const std::string_view buffer = batch.buffer;
    for (const uint32_t index : new_rows_) {
        const auto& row = batch.rows[index];
        frame_record(framed_, ++sequence, job_id, row.time_ms, row.raw_offset,
                     buffer.substr(row.id_offset, row.id_size), buffer.substr(row.json_offset, row.json_size));
    }
    if (!framed_.empty()) {
        try {
            written_tail_ = segments_->append(framed_, written_sequence_ + 1);
        } catch (...) {
            segments_->truncate_to(written_tail_);  // what others appended before stays
            bytes_ = scan_bytes();
            throw;
        }
        bytes_ += framed_.size();
    }
    written_sequence_ = sequence;
    Queued queued{++next_ticket_, job_id, update_checkpoint, std::string(checkpoint), now_ms, !new_rows_.empty(), {}};
    if (queued.has_ids) queued.ids = dedupe_->add_pending(queued.ticket, job_id, batch, new_rows_);
    result.ticket = queued.ticket;
    queue_.push_back(std::move(queued));
    work_.notify_one();
    return result;
}

bool Spool::wait_durable(int64_t job_id, uint64_t ticket, std::string& error) {
    std::unique_lock lock(mutex_);
    durable_.wait(lock, [&] { return durable_ticket_ >= ticket || failed_jobs_.count(job_id) > 0; });
    if (const auto failed = failed_jobs_.find(job_id); failed != failed_jobs_.end()) {
        error = failed->second;
        return false;
    }
    return true;
}

Spool::CommitResult Spool::commit_durably(int64_t job_id, const SerializedBatch& batch, std::string_view checkpoint,
                                          bool update_checkpoint, int64_t now_ms) {
    const CommitResult result = commit(job_id, batch, checkpoint, update_checkpoint, now_ms);
    std::string error;
    if (!wait_durable(job_id, result.ticket, error)) throw std::runtime_error(error);
    return result;
}

void Spool::begin_run(int64_t job_id) {
    std::lock_guard lock(mutex_);
    failed_jobs_.erase(job_id);
}

void Spool::write_tail(SegmentPosition tail, uint64_t last_sequence) {
    const std::pair<const char*, int64_t> values[] = {{"last_sequence", static_cast<int64_t>(last_sequence)},
                                                      {"tail_segment", static_cast<int64_t>(tail.segment)},
                                                      {"tail_offset", static_cast<int64_t>(tail.offset)}};
    for (const auto& [key, value] : values) {
        update_meta_->bind(1, value);
        update_meta_->bind(2, std::string_view(key));
        update_meta_->run();
    }
}

void Spool::write_loop() {
    std::unique_lock lock(mutex_);
    std::vector<Queued> work;
    std::vector<int64_t> rowids;
    while (true) {
        work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) break;  // stopping, and everything is durable
        work.clear();
        work.swap(queue_);
        const std::vector<uint64_t> to_sync = segments_->take_for_sync();
        const SegmentPosition tail = written_tail_;
        const uint64_t last_sequence = written_sequence_;
        lock.unlock();

        std::string error;
        rowids.assign(work.size(), 0);
        try {
            // Events first: a checkpoint must never be on disk without them.
            SegmentWriter::sync(segment_dir_, to_sync);
            std::lock_guard db_lock(db_mutex_);
            sqlite::Transaction transaction(db_);
            for (size_t i = 0; i < work.size(); ++i) {
                const Queued& queued = work[i];
                if (queued.has_ids) {
                    insert_ids_->bind(1, queued.job_id);
                    insert_ids_->bind(2, queued.ids.min_time);
                    insert_ids_->bind(3, queued.ids.max_time);
                    insert_ids_->bind_blob(4, queued.ids.blob);
                    insert_ids_->run();
                    rowids[i] = sqlite3_last_insert_rowid(db_.handle());
                }
                if (queued.update_checkpoint) {
                    update_checkpoint_->bind_blob(1, queued.checkpoint);
                    update_checkpoint_->bind(2, queued.now_ms);
                    update_checkpoint_->bind(3, queued.job_id);
                    update_checkpoint_->run();
                }
            }
            write_tail(tail, last_sequence);
            transaction.commit();
        } catch (const std::exception& failure) {
            error = failure.what();
        }

        lock.lock();
        if (error.empty()) {
            for (size_t i = 0; i < work.size(); ++i) {
                if (work[i].has_ids) dedupe_->promote(work[i].ticket, rowids[i]);
            }
            durable_ticket_ = work.back().ticket;
            durable_sequence_ = last_sequence;
            durable_tail_ = tail;
        } else {
            // Whatever is not durable is void: this group and everything appended meanwhile.
            spdlog::error(
                "could not store {} commits in the spool: {}; the affected jobs retry from their last "
                "stored checkpoints",
                work.size() + queue_.size(), error);
            for (const Queued& queued : work) failed_jobs_[queued.job_id] = error;
            for (const Queued& queued : queue_) failed_jobs_[queued.job_id] = error;
            queue_.clear();
            dedupe_->discard_pending();
            try {
                segments_->truncate_to(durable_tail_);
            } catch (const std::exception& failure) {
                spdlog::error("could not cut the spool back to its durable tail: {}", failure.what());
            }
            written_tail_ = durable_tail_;
            written_sequence_ = durable_sequence_;
            bytes_ = scan_bytes();
        }
        durable_.notify_all();
    }
}

uint64_t Spool::head() {
    std::lock_guard lock(mutex_);
    return durable_sequence_;
}

SegmentPosition Spool::durable_tail() {
    std::lock_guard lock(mutex_);
    return durable_tail_;
}

void Spool::wait_for_events_after(uint64_t after, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    durable_.wait_for(lock, timeout, [&] { return durable_sequence_ > after || stopping_; });
}

void Spool::notify_all() {
    durable_.notify_all();
}

void Spool::set_outputs(const std::vector<std::string>& names) {
    std::map<std::string, uint64_t> cursors;
    {
        std::lock_guard db_lock(db_mutex_);
        sqlite::Statement select(db_, "SELECT sequence FROM cursors WHERE output = ?");
        for (const auto& name : names) {
            select.bind(1, name);
            // A new output starts at the oldest event still spooled: it gets what is not yet pruned, nothing older.
            cursors[name] = select.step() ? static_cast<uint64_t>(select.column_int(0)) : 0;
            select.reset();
        }
    }
    std::lock_guard lock(mutex_);
    cursors_ = std::move(cursors);
}

Spool::Cursor Spool::cursor(const std::string& output) {
    std::lock_guard db_lock(db_mutex_);
    sqlite::Statement select(db_, "SELECT sequence, resume_token FROM cursors WHERE output = ?");
    select.bind(1, output);
    if (!select.step()) return {};
    return Cursor{static_cast<uint64_t>(select.column_int(0)), std::string(select.column_blob(1))};
}

void Spool::save_cursor(const std::string& output, uint64_t sequence, std::string_view resume_token) {
    {
        std::lock_guard db_lock(db_mutex_);
        sqlite::Statement upsert(db_,
                                 "INSERT INTO cursors(output, sequence, resume_token) VALUES (?, ?, ?) "
                                 "ON CONFLICT(output) DO UPDATE SET sequence = excluded.sequence, "
                                 "resume_token = excluded.resume_token");
        upsert.bind(1, output);
        upsert.bind(2, static_cast<int64_t>(sequence));
        upsert.bind_blob(3, resume_token);
        upsert.run();
    }
    bool forget = false;
    {
        std::lock_guard lock(mutex_);
        cursors_[output] = sequence;
        const auto now = std::chrono::steady_clock::now();
        if (now - last_prune_ >= std::chrono::seconds(30)) {
            last_prune_ = now;
            forget = true;
        }
    }
    remove_delivered_segments();
    if (forget) forget_expired_ids();
}

void Spool::prune_delivered() {
    forget_expired_ids();
    remove_delivered_segments();
}

void Spool::forget_expired_ids() {
    std::vector<std::pair<int64_t, int64_t>> cutoffs;
    {
        std::lock_guard lock(mutex_);
        std::vector<int64_t> job_ids;
        for (const auto& [job_id, connector] : connectors_) job_ids.push_back(job_id);
        cutoffs = dedupe_->expire(options_.dedupe_window_ms, job_ids);
    }
    std::lock_guard db_lock(db_mutex_);
    sqlite::Transaction transaction(db_);
    sqlite::Statement forget(db_, "DELETE FROM seen_batches WHERE job_id = ? AND max_time < ?");
    for (const auto& [job_id, cutoff] : cutoffs) {
        forget.bind(1, job_id);
        forget.bind(2, cutoff);
        forget.run();
    }
    transaction.commit();
}

void Spool::remove_delivered_segments() {
    std::vector<std::string> files;
    {
        std::lock_guard lock(mutex_);
        if (cursors_.empty()) return;
        uint64_t delivered = UINT64_MAX;
        for (const auto& [name, sequence] : cursors_) delivered = std::min(delivered, sequence);
        files = segments_->delivered_files(delivered, durable_tail_);
    }
    // Outside the lock: unlinking a segment frees its cached pages, which takes a moment commits need not wait for.
    uint64_t removed = 0;
    for (const std::string& file : files) {
        std::error_code error;
        const uint64_t size = std::filesystem::file_size(file, error);
        if (error) continue;  // already dropped to keep the spool within its budget
        std::filesystem::remove(file, error);
        if (error) {
            spdlog::warn("cannot delete the delivered spool segment {}: {}", file, error.message());
        } else {
            removed += size;
        }
    }
    std::lock_guard lock(mutex_);
    bytes_ -= std::min(bytes_, removed);
    if (removed > 0) room_.notify_all();
    if (bytes_ < options_.budget_bytes) full_since_.reset();
}

uint64_t Spool::scan_bytes() const {
    uint64_t total = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(segment_dir_, error)) {
        if (entry.path().extension() == ".seg") total += entry.file_size(error);
    }
    return total;
}

std::string Spool::check_budget_locked() {
    const std::vector<uint64_t> segments = list_segments(segment_dir_);
    if (options_.drop_oldest_when_full) {
        // The oldest durable segments go, never the one being written, until the spool is under its budget.
        for (size_t i = 0; i + 1 < segments.size() && bytes_ >= options_.budget_bytes; ++i) {
            if (segments[i] >= durable_tail_.segment) break;
            const std::string file = segment_path(segment_dir_, segments[i]);
            std::error_code error;
            const uint64_t size = std::filesystem::file_size(file, error);
            if (error || !std::filesystem::remove(file, error)) break;
            bytes_ -= std::min(bytes_, size);
            lost_before_ = std::max(lost_before_, segments[i + 1] - 1);
        }
        if (bytes_ < options_.budget_bytes) return {};
    }
    uint64_t delivered = UINT64_MAX;
    for (const auto& [name, sequence] : cursors_) delivered = std::min(delivered, sequence);
    std::string slowest;  // every output as far behind as the slowest
    for (const auto& [name, sequence] : cursors_) {
        if (sequence == delivered) slowest += (slowest.empty() ? "'" : ", '") + name + "'";
    }
    const auto mb = [](uint64_t bytes) { return std::to_string((bytes + (1u << 19)) >> 20); };
    return "the spool holds " + mb(bytes_) + " MB, its budget (agent.spool.budget_mb: " + mb(options_.budget_bytes) +
           "): output " + slowest + " is " +
           std::to_string(written_sequence_ - std::min(delivered, written_sequence_)) +
           " events behind; collection pauses until it catches up (or set agent.spool.when_full: drop_oldest)";
}

uint64_t Spool::bytes() {
    std::lock_guard lock(mutex_);
    return bytes_;
}

std::string Spool::full_reason() {
    std::lock_guard lock(mutex_);
    if (options_.budget_bytes == 0 || bytes_ < options_.budget_bytes) return {};
    return check_budget_locked();
}

uint64_t Spool::lost_before() {
    std::lock_guard lock(mutex_);
    return lost_before_;
}

uint64_t Spool::backlog() {
    std::lock_guard lock(mutex_);
    uint64_t delivered = durable_sequence_;
    for (const auto& [name, sequence] : cursors_) delivered = std::min(delivered, sequence);
    return durable_sequence_ - delivered;
}

uint64_t Spool::held_bytes(const std::string& output) {
    uint64_t delivered = 0;
    uint64_t newest = 0;
    {
        std::lock_guard lock(mutex_);
        const auto it = cursors_.find(output);
        if (it == cursors_.end()) return 0;
        delivered = it->second;
        newest = durable_sequence_;
    }
    if (newest <= delivered) return 0;  // caught up: the segment being written is not this output's doing
    // Segment files are named by their first sequence; a segment ends where the next one begins.
    const std::vector<uint64_t> segments = list_segments(segment_dir_);
    uint64_t held = 0;
    for (size_t i = 0; i < segments.size(); ++i) {
        const bool undelivered = i + 1 == segments.size() ? segments[i] <= newest : segments[i + 1] - 1 > delivered;
        if (!undelivered) continue;
        std::error_code error;
        const uint64_t size = std::filesystem::file_size(segment_path(segment_dir_, segments[i]), error);
        if (!error) held += size;
    }
    return held;
}

uint64_t Spool::backlog(const std::string& output) {
    std::lock_guard lock(mutex_);
    const auto it = cursors_.find(output);
    return it == cursors_.end() ? 0 : durable_sequence_ - std::min(durable_sequence_, it->second);
}

std::string Spool::connector_of(int64_t job_id) {
    std::lock_guard lock(mutex_);
    const auto it = connectors_.find(job_id);
    return it == connectors_.end() ? std::string() : it->second;
}

}  // namespace vigil
