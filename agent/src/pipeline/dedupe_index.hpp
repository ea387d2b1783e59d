#pragma once

#include "pipeline/event.hpp"
#include "util/sqlite.hpp"

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil {

// Which events a job has already stored, so that re-reading an overlapping window, a replay after a crash, or a
// source sending the same record twice never stores an event twice. An event is identified by its id and time.
//
// Cost is per commit, not per event: each commit's ids go to SQLite as one row (a blob of (time, id) sorted),
// with its time range. In memory each job keeps the time ranges of its batches within the window; an event newer
// than everything the job stored is new without any lookup, and an older one (an overlap re-read) is looked up in
// the batches whose range covers it, decoded once and kept in a cache bounded in bytes.
//
// Not thread-safe: the spool calls it under its lock, inside its transaction.
class DedupeIndex {
public:
    DedupeIndex(sqlite::Database& db, int64_t window_ms, size_t cache_bytes);
    ~DedupeIndex();

    // Puts into new_rows the indices of batch rows that are neither stored already nor repeated earlier in the batch.
    void filter(int64_t job_id, const SerializedBatch& batch, std::vector<uint32_t>& new_rows);
    // Inside the caller's transaction: records the ids of new_rows. Call committed() once the transaction commits.
    void record(int64_t job_id, const SerializedBatch& batch, const std::vector<uint32_t>& new_rows);
    void committed();
    void rolled_back() { pending_.reset(); }

    // Forgets ids more than the window behind each job's newest event (the window is measured from the job's own
    // progress, not from the clock, so a backfill far behind the clock stays covered).
    void prune();
    size_t cached_bytes() const { return cached_bytes_; }

private:
    struct Entry {
        int64_t time_ms;
        std::string_view id;
        auto operator<=>(const Entry&) const = default;
    };
    struct Decoded {
        std::string blob;
        std::vector<Entry> entries;  // sorted; views into blob, so a Decoded never moves (std::list keeps it put)
    };
    struct BatchRange {
        int64_t rowid, min_time, max_time;
    };
    struct JobIndex {
        int64_t newest_ms = INT64_MIN;
        std::vector<BatchRange> batches;  // sorted by max_time
    };
    struct Pending {
        int64_t job_id;
        BatchRange range;
    };

    JobIndex& job(int64_t job_id);
    bool stored(JobIndex& index, int64_t time_ms, std::string_view id);
    const Decoded& decoded(int64_t rowid);
    bool repeated_in_batch(const SerializedBatch& batch, uint32_t row);
    void evict(int64_t rowid);

    sqlite::Database& db_;
    int64_t window_ms_;
    size_t cache_budget_;
    std::map<int64_t, JobIndex> jobs_;
    std::unique_ptr<sqlite::Statement> insert_;
    std::unique_ptr<sqlite::Statement> select_ranges_;
    std::unique_ptr<sqlite::Statement> select_blob_;
    std::string blob_;
    std::vector<Entry> sorted_;
    std::unique_ptr<Pending> pending_;

    // Decoded batches, most recently used first.
    std::list<std::pair<int64_t, Decoded>> cache_;
    std::unordered_map<int64_t, std::list<std::pair<int64_t, Decoded>>::iterator> cache_index_;
    size_t cached_bytes_ = 0;

    // Rows of the batch being filtered, by hash of (time, id): an open-addressing table reused from batch to batch.
    std::vector<uint32_t> slots_;  // row + 1; 0 = empty
};

}  // namespace vigil
