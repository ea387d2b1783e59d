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
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// The durable heart of the agent, in data_dir:
//   spool.db (SQLite, WAL): each job's checkpoint, the ids each job stored (DedupeIndex), each output's cursor and
//            resume token, and the committed tail of the segment log;
//   segments/: the event records themselves, appended once and read back by each output (SegmentWriter/Reader).
// commit() appends a batch to the segment log and fsyncs it, then commits checkpoint, ids and the new tail in one
// SQLite transaction: after a crash either all of it counts or none (recovery truncates the log to the tail).
// Thread-safe: one writer at a time under the spool's lock; readers use their own SpoolReader.
class Spool {
public:
    struct Options {
        int64_t dedupe_window_ms = 3LL * 86'400'000;
        size_t dedupe_cache_bytes = 64u << 20;
        uint64_t segment_bytes = 64u << 20;
    };
    Spool(const std::string& data_dir, Options options);

    const std::string& segment_dir() const { return segment_dir_; }

    // The job's numeric id, created on first use.
    int64_t job_id(const JobIdentity& job);
    std::string checkpoint(int64_t job_id);

    struct CommitResult {
        size_t stored = 0;
        size_t duplicates = 0;
    };
    // Stores the rows the job has not stored before and, when update_checkpoint, the new checkpoint.
    // Throws (sqlite::Error, std::system_error); then nothing of the batch counts.
    CommitResult commit(int64_t job_id, const SerializedBatch& batch, std::string_view checkpoint,
                        bool update_checkpoint, int64_t now_ms);

    uint64_t head();  // the sequence of the newest stored event (0: none yet)
    SegmentPosition tail();
    // Blocks until an event after `after` is stored, or the timeout passes.
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
    uint64_t backlog();  // stored events not yet delivered by the slowest output
    // Deletes delivered segments and forgets ids past the de-duplication window. save_cursor() calls it at most
    // every 30 s.
    void prune_delivered();

    std::string connector_of(int64_t job_id);

private:
    void prune_locked();
    void write_tail_locked(SegmentPosition tail, uint64_t last_sequence);

    std::mutex mutex_;
    std::condition_variable stored_;
    std::string segment_dir_;
    sqlite::Database db_;
    std::unique_ptr<DedupeIndex> dedupe_;
    std::unique_ptr<SegmentWriter> segments_;
    std::unique_ptr<sqlite::Statement> update_checkpoint_;
    std::unique_ptr<sqlite::Statement> update_meta_;
    uint64_t last_sequence_ = 0;
    SegmentPosition tail_{};
    std::map<std::string, uint64_t> cursors_;  // configured outputs -> delivered sequence
    std::map<int64_t, std::string> connectors_;
    std::chrono::steady_clock::time_point last_prune_{};

    // Reused by commit() (under the lock): no allocation per event in steady state.
    std::vector<uint32_t> new_rows_;
    std::string framed_;
};

// One consumer's view of the spool (each output runner has its own).
class SpoolReader {
public:
    explicit SpoolReader(Spool& spool) : spool_(spool), reader_(spool.segment_dir()) {}
    // Fills out[0..count) with up to limit events after `after`, in order. Views stay valid until the next read.
    size_t read(uint64_t after, size_t limit, std::vector<SegmentRecord>& out) {
        return reader_.read(after, limit, spool_.tail(), out);
    }

private:
    Spool& spool_;
    SegmentReader reader_;
};

}  // namespace vigil
