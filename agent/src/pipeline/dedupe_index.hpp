#pragma once

#include "pipeline/event.hpp"
#include "util/sqlite.hpp"

#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace vigil {

// Which events a job has already stored, so that re-reading an overlapping window, a replay after a crash, or a
// source sending the same record twice never stores an event twice. An event is identified by its id and time.
//
// Cost is per commit, not per event: each commit's ids become one row of `seen_batches` (a blob of (time, id),
// sorted, with the batch's time range). In memory each job keeps the time ranges of its batches within the window;
// an event newer than everything the job stored is new without a lookup, and an older one (an overlap re-read) is
// looked up in the batches whose range covers it, decoded once and kept in a cache bounded in bytes. Batches
// committed but not yet durable are "pending": they count for de-duplication at once, and are promoted once the
// spool's writer made them durable (or discarded if it failed).
//
// Not thread-safe: the spool calls it under its lock. It only reads SQLite, through its own connection; the
// spool's writer inserts and deletes the rows.
class DedupeIndex {
public:
    // What the writer stores for one batch.
    struct Row {
        uint64_t ticket;
        int64_t job_id;
        int64_t min_time;
        int64_t max_time;
        std::string blob;
    };

    DedupeIndex(sqlite::Database& read_db, size_t cache_bytes);

    // Puts into new_rows the indices of batch rows that are neither stored (or pending) already nor repeated earlier
    // in the batch.
    void filter(int64_t job_id, const SerializedBatch& batch, std::vector<uint32_t>& new_rows);
    // Makes the ids of new_rows pending under ticket and returns the row the writer must store for them.
    Row add_pending(uint64_t ticket, int64_t job_id, const SerializedBatch& batch,
                    const std::vector<uint32_t>& new_rows);
    // The writer stored the row of ticket as rowid: the batch becomes durable.
    void promote(uint64_t ticket, int64_t rowid);
    // The writer failed: every pending batch is forgotten.
    void discard_pending();

    // Forgets, in memory, batches more than window_ms behind each job's newest event and returns (job, cutoff)
    // pairs for the writer to delete (max_time < cutoff). The window is measured from the job's own progress, not
    // the clock, so a backfill far behind the clock stays covered.
    std::vector<std::pair<int64_t, int64_t>> expire(int64_t window_ms, const std::vector<int64_t>& job_ids);
    size_t cached_bytes() const { return cached_bytes_; }

private:
    struct Entry {
        int64_t time_ms;
        std::string_view id;
        // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads the defaulted comparison
        auto operator<=>(const Entry&) const = default;
    };
    // A decoded batch. entries are views into blob, so a Batch never moves: it lives in a std::list node and goes
    // from pending_ to cache_ by splicing.
    struct Batch {
        uint64_t ticket = 0;  // pending only
        int64_t rowid = 0;    // durable only
        int64_t job_id = 0;
        int64_t min_time = 0;
        int64_t max_time = 0;
        std::string blob;
        std::vector<Entry> entries;  // sorted
    };
    struct Range {
        int64_t rowid, min_time, max_time;
    };
    struct JobIndex {
        int64_t newest_ms = INT64_MIN;
        std::vector<Range> durable;  // sorted by max_time
    };

    JobIndex& job(int64_t job_id);
    bool stored(int64_t job_id, JobIndex& index, int64_t time_ms, std::string_view id);
    const Batch& decoded(int64_t rowid);
    bool repeated_in_batch(const SerializedBatch& batch, uint32_t row);
    void evict(int64_t rowid);
    static void decode(Batch& batch);
    static size_t bytes_of(const Batch& batch) { return batch.blob.size() + batch.entries.size() * sizeof(Entry); }

    sqlite::Statement select_ranges_;
    sqlite::Statement select_blob_;
    size_t cache_budget_;
    std::map<int64_t, JobIndex> jobs_;
    std::list<Batch> pending_;  // in ticket order
    std::list<Batch> cache_;    // durable batches, most recently used first
    std::unordered_map<int64_t, std::list<Batch>::iterator> cache_index_;
    size_t cached_bytes_ = 0;
    std::vector<Entry> sorted_;
    // Rows of the batch being filtered, by hash of (time, id): an open-addressing table reused from batch to batch.
    std::vector<uint32_t> slots_;  // row + 1; 0 = empty
};

}  // namespace vigil
