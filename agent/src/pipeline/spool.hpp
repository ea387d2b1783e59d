#pragma once

#include "pipeline/dedupe_index.hpp"
#include "pipeline/event.hpp"
#include "pipeline/segment_log.hpp"
#include "util/sqlite.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace vigil {

// The durable heart of the agent, in data_dir:
//   spool.db (SQLite, WAL): each job's checkpoint, the ids each job stored (seen_batches), each output's cursor and
//            resume token, and the durable tail of the segment log;
//   segments/: the event records themselves, appended once and read back by each output.
//
// Group commit. commit() filters duplicates, appends the new records to the segment log (page cache) and queues
// the job's checkpoint; it does not wait for the disk. One writer thread then, for everything queued: fdatasync()s
// the segments, and commits every queued checkpoint, id batch and the new tail in one SQLite transaction. So a
// checkpoint is durable only together with its events, readers see only the durable tail, and one fsync serves
// every job that committed meanwhile. A connector run ends with wait_durable(); if the writer failed (disk full),
// every commit not yet durable is void, the log is cut back to the durable tail, and the affected jobs' waits and
// next commits report the error, so their runs fail and restart from their durable checkpoints.
//
// After a crash the spool is its last durable state: recovery truncates the log to the durable tail.
class Spool {
public:
    struct Options {
        int64_t dedupe_window_ms = 3LL * 86'400'000;
        // Recent ids in memory, shared by all jobs; older ones are looked up in SQLite. 32 MB holds ~500 k ids:
        // a 10-minute overlap of one tenant at Graph's full reporting rate (500 records/s) is 300 k.
        size_t dedupe_cache_bytes = 32u << 20;
        uint64_t segment_bytes = 64u << 20;
        // The most the segments may hold (0: no limit). Reached, commit() refuses new events (the connectors'
        // runs fail and retry at their next interval from their checkpoints: Graph keeps 7 to 30 days, so
        // waiting loses nothing) or, with drop_oldest_when_full, deletes the oldest segments whatever the outputs
        // delivered, and outputs behind them skip what is gone, counting it (lost_before()).
        uint64_t budget_bytes = 0;
        bool drop_oldest_when_full = false;
    };
    // Thrown by commit() when the spool reached its budget and may not drop: says how full and who is behind.
    class Full : public std::runtime_error {
    public:
        using std::runtime_error::runtime_error;
    };
    Spool(const std::string& data_dir, Options options);
    ~Spool();  // makes everything committed durable, then stops the writer
    Spool(const Spool&) = delete;
    Spool& operator=(const Spool&) = delete;

    const std::string& data_dir() const { return data_dir_; }
    const std::string& segment_dir() const { return segment_dir_; }

    int64_t job_id(const JobIdentity& job);  // created on first use
    std::string checkpoint(int64_t job_id);  // the durable one

    struct CommitResult {
        size_t stored = 0;
        size_t duplicates = 0;
        uint64_t ticket = 0;  // 0: nothing to wait for
    };
    // Stores the rows the job has not stored before and, when update_checkpoint, the new checkpoint; durable once
    // wait_durable(ticket) returns true. Throws when the append fails or an earlier commit of the job failed
    // (then nothing of this batch counts).
    CommitResult commit(int64_t job_id, const SerializedBatch& batch, std::string_view checkpoint,
                        bool update_checkpoint, int64_t now_ms);
    // Blocks until the job's commit `ticket` is durable (true) or void (false, with the writer's error).
    bool wait_durable(int64_t job_id, uint64_t ticket, std::string& error);
    // commit() then wait_durable(); throws std::runtime_error if it did not become durable.
    CommitResult commit_durably(int64_t job_id, const SerializedBatch& batch, std::string_view checkpoint,
                                bool update_checkpoint, int64_t now_ms);
    // A new run of the job: forgets the failure of an earlier one.
    void begin_run(int64_t job_id);

    uint64_t head();                 // sequence of the newest durable event (0: none yet)
    SegmentPosition durable_tail();  // readers never read past it
    // Blocks until an event after `after` is durable, or the timeout passes.
    void wait_for_events_after(uint64_t after, std::chrono::milliseconds timeout);
    void notify_all();  // wakes every waiter (on stop)

    struct Cursor {
        uint64_t sequence = 0;
        std::string resume_token;
    };
    // The outputs the spool keeps events for; segments every one of them delivered are deleted.
    void set_outputs(const std::vector<std::string>& names);
    Cursor cursor(const std::string& output);
    void save_cursor(const std::string& output, uint64_t sequence, std::string_view resume_token);
    uint64_t backlog();  // durable events not yet delivered by the slowest output
    uint64_t bytes();    // what the segments hold on disk
    uint64_t budget_bytes() const { return options_.budget_bytes; }  // 0: no budget
    // What one output keeps on disk: the segments holding events it has not delivered (an event not yet delivered
    // keeps its whole segment). Lists the segment folder: for the status endpoint, not the hot path.
    uint64_t held_bytes(const std::string& output);
    // Durable events the output has not delivered yet.
    uint64_t backlog(const std::string& output);
    // Empty while the spool takes events; otherwise why it does not (budget reached, and by whom).
    std::string full_reason();
    // Events up to this sequence were deleted undelivered to make room (drop_oldest_when_full); 0: none.
    uint64_t lost_before();
    // Deletes delivered segments and forgets ids past the de-duplication window.
    void prune_delivered();

    std::string connector_of(int64_t job_id);

private:
    struct Queued {
        uint64_t ticket;
        int64_t job_id;
        bool update_checkpoint;
        std::string checkpoint;
        int64_t now_ms;
        bool has_ids;
        DedupeIndex::Row ids;
    };

    void write_loop();
    void write_tail(SegmentPosition tail, uint64_t last_sequence);
    // Segments every output delivered are deleted as soon as they are: their pages leave the page cache at once,
    // so the agent keeps reusing the same few hundred MB of memory however much it collects (and does not push
    // other programs' data out of the cache). save_cursor() calls it every time.
    void remove_delivered_segments();
    // Ids past the de-duplication window leave the index; save_cursor() calls it at most every 30 s.
    void forget_expired_ids();
    // Under mutex_: the reason commits are refused, or empty; drops the oldest segments first when allowed to.
    std::string check_budget_locked();
    uint64_t scan_bytes() const;

    Options options_;
    std::string data_dir_;
    std::string segment_dir_;

    // db_ is the one writing connection, used under db_mutex_ (never while holding mutex_ across I/O).
    std::mutex db_mutex_;
    sqlite::Database db_;
    std::unique_ptr<sqlite::Statement> insert_ids_;
    std::unique_ptr<sqlite::Statement> update_checkpoint_;
    std::unique_ptr<sqlite::Statement> update_meta_;

    // Everything below is guarded by mutex_.
    std::mutex mutex_;
    std::condition_variable work_;     // the writer waits for queued commits
    std::condition_variable durable_;  // waiters and readers wait for durability
    std::condition_variable room_;     // commits wait for delivered segments to go when over the budget
    sqlite::Database index_db_;        // DedupeIndex's reading connection
    std::unique_ptr<DedupeIndex> dedupe_;
    std::unique_ptr<SegmentWriter> segments_;
    std::vector<Queued> queue_;
    uint64_t next_ticket_ = 0;
    uint64_t durable_ticket_ = 0;
    uint64_t written_sequence_ = 0;
    SegmentPosition written_tail_{};
    uint64_t durable_sequence_ = 0;
    SegmentPosition durable_tail_{};
    std::map<int64_t, std::string> failed_jobs_;  // job -> why its commits not yet durable were voided
    std::map<std::string, uint64_t> cursors_;     // configured outputs -> delivered sequence
    std::map<int64_t, std::string> connectors_;
    std::chrono::steady_clock::time_point last_prune_{};
    uint64_t bytes_ = 0;        // the segment files' sizes, kept up to date by append, truncate and delete
    uint64_t lost_before_ = 0;  // sequences up to this one were dropped undelivered
    std::optional<std::chrono::steady_clock::time_point> full_since_;  // over the budget, not relieved by delivery
    bool stopping_ = false;
    std::vector<uint32_t> new_rows_;  // reused by commit(): no allocation per event in steady state
    std::string framed_;

    std::thread writer_;
};

// One consumer's view of the spool (each output runner has its own).
class SpoolReader {
public:
    explicit SpoolReader(Spool& spool) : spool_(spool), reader_(spool.segment_dir()) {}
    // Fills out[0..count) with up to limit durable events after `after`, in order. Views stay valid until the next
    // read.
    size_t read(uint64_t after, size_t limit, std::vector<SegmentRecord>& out) {
        return reader_.read(after, limit, spool_.durable_tail(), out);
    }

private:
    Spool& spool_;
    SegmentReader reader_;
};

}  // namespace vigil
