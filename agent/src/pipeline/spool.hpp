#pragma once

#include "pipeline/event.hpp"
#include "util/sqlite.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// The durable heart of the agent: one SQLite database (WAL) in data_dir holding
//   - each job's checkpoint,
//   - the ids each job has already stored (de-duplication across overlapping windows and replays),
//   - the spool of stored events, numbered by a sequence that never goes back,
//   - each output's delivery cursor and resume token.
// commit() stores a batch and its checkpoint in one transaction, so after a crash either both are there or
// neither is. Thread-safe: one connection, one writer at a time; readers use their own SpoolReader.
class Spool {
public:
    Spool(const std::string& path, int64_t dedupe_window_ms);

    const std::string& path() const { return db_.path(); }

    // The job's numeric id, created on first use.
    int64_t job_id(const JobIdentity& job);
    std::string checkpoint(int64_t job_id);

    struct CommitResult {
        size_t stored = 0;
        size_t duplicates = 0;
    };
    // Stores the rows not already stored for this job and, when update_checkpoint, the new checkpoint.
    // Throws sqlite::Error; then nothing of the batch is stored.
    CommitResult commit(int64_t job_id, const SerializedBatch& batch, std::string_view checkpoint,
                        bool update_checkpoint, int64_t now_ms);

    uint64_t head();  // the sequence of the newest stored event (0: none yet)
    // Blocks until an event after `after` is stored, or the timeout passes.
    void wait_for_events_after(uint64_t after, std::chrono::milliseconds timeout);
    void notify_all();  // wakes every waiter (on stop)

    struct Cursor {
        uint64_t sequence = 0;
        std::string resume_token;
    };
    // The outputs the spool must keep events for; events every one of them delivered are deleted.
    void set_outputs(const std::vector<std::string>& names);
    Cursor cursor(const std::string& output);
    void save_cursor(const std::string& output, uint64_t sequence, std::string_view resume_token);
    uint64_t backlog();  // stored events not yet delivered by the slowest output
    // Deletes events every output has delivered and ids older than the de-duplication window. save_cursor() calls
    // it at most once a second.
    void prune_delivered();

    std::string connector_of(int64_t job_id);

private:
    void prune_delivered_locked();

    std::mutex mutex_;
    std::condition_variable stored_;
    sqlite::Database db_;
    std::unique_ptr<sqlite::Statement> insert_seen_;
    std::unique_ptr<sqlite::Statement> insert_event_;
    std::unique_ptr<sqlite::Statement> update_checkpoint_;
    std::unique_ptr<sqlite::Statement> update_last_sequence_;
    uint64_t last_sequence_ = 0;
    int64_t dedupe_window_ms_;
    std::map<std::string, uint64_t> cursors_;  // configured outputs -> delivered sequence
    std::map<int64_t, std::string> connectors_;
    std::map<int64_t, int64_t> newest_ms_;  // job -> time of its newest stored event
    std::chrono::steady_clock::time_point last_prune_{};
};

// One event read back from the spool.
struct StoredEvent {
    uint64_t sequence;
    int64_t job_id;
    int64_t time_ms;
    int64_t raw_offset;
    std::string id;
    std::string json;
};

// A read connection for one output runner (SQLite connections are not shared between threads).
class SpoolReader {
public:
    explicit SpoolReader(const std::string& path);
    // Reads up to limit events after `after` into out[0..count), in order, and returns count. out is reused: its
    // size may exceed count.
    size_t read(uint64_t after, size_t limit, std::vector<StoredEvent>& out);

private:
    sqlite::Database db_;
    sqlite::Statement select_;
};

}  // namespace vigil
