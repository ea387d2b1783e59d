#include "pipeline/dedupe_index.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

namespace vigil {

namespace {

std::string_view id_of(const SerializedBatch& batch, uint32_t row) {
    const auto& r = batch.rows[row];
    return std::string_view(batch.buffer).substr(r.id_offset, r.id_size);
}

size_t hash_of(int64_t time_ms, std::string_view id) {
    return std::hash<std::string_view>{}(id) ^ (static_cast<size_t>(time_ms) * 0x9E3779B97F4A7C15ULL);
}

// Blob layout: repeated (i64 time_ms, u32 id_size, id bytes), sorted by (time, id).
void append_entry(std::string& blob, int64_t time_ms, std::string_view id) {
    const auto size = static_cast<uint32_t>(id.size());
    blob.append(reinterpret_cast<const char*>(&time_ms), sizeof(time_ms));
    blob.append(reinterpret_cast<const char*>(&size), sizeof(size));
    blob.append(id);
}

}  // namespace

DedupeIndex::DedupeIndex(sqlite::Database& db, int64_t window_ms, size_t cache_bytes)
    : db_(db), window_ms_(window_ms), cache_budget_(cache_bytes) {
    db_.exec(
        "CREATE TABLE IF NOT EXISTS seen_batches(job_id INTEGER NOT NULL, min_time INTEGER NOT NULL, "
        "max_time INTEGER NOT NULL, ids BLOB NOT NULL);"
        "CREATE INDEX IF NOT EXISTS seen_batches_by_time ON seen_batches(job_id, max_time);");
    insert_ = std::make_unique<sqlite::Statement>(
        db_, "INSERT INTO seen_batches(job_id, min_time, max_time, ids) VALUES (?, ?, ?, ?)");
    select_ranges_ = std::make_unique<sqlite::Statement>(
        db_, "SELECT rowid, min_time, max_time FROM seen_batches WHERE job_id = ? ORDER BY max_time");
    select_blob_ = std::make_unique<sqlite::Statement>(db_, "SELECT ids FROM seen_batches WHERE rowid = ?");
}

DedupeIndex::~DedupeIndex() = default;

DedupeIndex::JobIndex& DedupeIndex::job(int64_t job_id) {
    const auto found = jobs_.find(job_id);
    if (found != jobs_.end()) return found->second;
    JobIndex& index = jobs_[job_id];
    select_ranges_->bind(1, job_id);
    while (select_ranges_->step()) {
        const BatchRange range{select_ranges_->column_int(0), select_ranges_->column_int(1),
                               select_ranges_->column_int(2)};
        index.batches.push_back(range);
        index.newest_ms = std::max(index.newest_ms, range.max_time);
    }
    select_ranges_->reset();
    return index;
}

const DedupeIndex::Decoded& DedupeIndex::decoded(int64_t rowid) {
    if (const auto hit = cache_index_.find(rowid); hit != cache_index_.end()) {
        cache_.splice(cache_.begin(), cache_, hit->second);
        return hit->second->second;
    }
    // Built in place: entries are views into blob, so the Decoded must never move once they are taken (moving a
    // short std::string moves its characters).
    cache_.emplace_front(rowid, Decoded{});
    Decoded& batch = cache_.front().second;
    select_blob_->bind(1, rowid);
    if (select_blob_->step()) batch.blob.assign(select_blob_->column_blob(0));
    select_blob_->reset();
    for (size_t at = 0; at + 12 <= batch.blob.size();) {
        int64_t time_ms;
        uint32_t size;
        std::memcpy(&time_ms, batch.blob.data() + at, 8);
        std::memcpy(&size, batch.blob.data() + at + 8, 4);
        batch.entries.push_back(Entry{time_ms, std::string_view(batch.blob).substr(at + 12, size)});
        at += 12 + size;
    }
    cache_index_[rowid] = cache_.begin();
    cached_bytes_ += batch.blob.size() + batch.entries.size() * sizeof(Entry);
    // Keep at least the batch just loaded, whatever the budget.
    while (cached_bytes_ > cache_budget_ && cache_.size() > 1) evict(cache_.back().first);
    return cache_.front().second;
}

void DedupeIndex::evict(int64_t rowid) {
    const auto hit = cache_index_.find(rowid);
    if (hit == cache_index_.end()) return;
    const Decoded& batch = hit->second->second;
    cached_bytes_ -= batch.blob.size() + batch.entries.size() * sizeof(Entry);
    cache_.erase(hit->second);
    cache_index_.erase(hit);
}

bool DedupeIndex::stored(JobIndex& index, int64_t time_ms, std::string_view id) {
    if (time_ms > index.newest_ms) return false;  // newer than all the job stored
    // Batches are sorted by max_time; those that may hold time_ms end at or after it.
    auto it = std::lower_bound(index.batches.begin(), index.batches.end(), time_ms,
                               [](const BatchRange& range, int64_t t) { return range.max_time < t; });
    const Entry wanted{time_ms, id};
    for (; it != index.batches.end(); ++it) {
        if (it->min_time > time_ms) continue;
        const Decoded& batch = decoded(it->rowid);
        if (std::binary_search(batch.entries.begin(), batch.entries.end(), wanted)) return true;
    }
    return false;
}

bool DedupeIndex::repeated_in_batch(const SerializedBatch& batch, uint32_t row) {
    const int64_t time_ms = batch.rows[row].time_ms;
    const std::string_view id = id_of(batch, row);
    const size_t mask = slots_.size() - 1;
    for (size_t slot = hash_of(time_ms, id) & mask;; slot = (slot + 1) & mask) {
        const uint32_t occupant = slots_[slot];
        if (occupant == 0) {
            slots_[slot] = row + 1;
            return false;
        }
        if (batch.rows[occupant - 1].time_ms == time_ms && id_of(batch, occupant - 1) == id) return true;
    }
}

void DedupeIndex::filter(int64_t job_id, const SerializedBatch& batch, std::vector<uint32_t>& new_rows) {
    new_rows.clear();
    JobIndex& index = job(job_id);
    size_t capacity = 16;
    while (capacity < batch.rows.size() * 2) capacity *= 2;
    slots_.assign(capacity, 0);
    for (uint32_t row = 0; row < batch.rows.size(); ++row) {
        if (repeated_in_batch(batch, row)) continue;
        if (stored(index, batch.rows[row].time_ms, id_of(batch, row))) continue;
        new_rows.push_back(row);
    }
}

void DedupeIndex::record(int64_t job_id, const SerializedBatch& batch, const std::vector<uint32_t>& new_rows) {
    pending_.reset();
    if (new_rows.empty()) return;
    sorted_.clear();
    for (const uint32_t row : new_rows) sorted_.push_back(Entry{batch.rows[row].time_ms, id_of(batch, row)});
    std::sort(sorted_.begin(), sorted_.end());
    blob_.clear();
    for (const Entry& entry : sorted_) append_entry(blob_, entry.time_ms, entry.id);
    insert_->bind(1, job_id);
    insert_->bind(2, sorted_.front().time_ms);
    insert_->bind(3, sorted_.back().time_ms);
    insert_->bind_blob(4, blob_);
    insert_->run();
    pending_ = std::make_unique<Pending>(Pending{
        job_id, BatchRange{sqlite3_last_insert_rowid(db_.handle()), sorted_.front().time_ms, sorted_.back().time_ms}});
}

void DedupeIndex::committed() {
    if (!pending_) return;
    JobIndex& index = job(pending_->job_id);
    const BatchRange range = pending_->range;
    pending_.reset();
    // Usually the newest batch: appended; an older one (a late backfill page) is inserted in order.
    const auto at = std::upper_bound(index.batches.begin(), index.batches.end(), range.max_time,
                                     [](int64_t t, const BatchRange& r) { return t < r.max_time; });
    index.batches.insert(at, range);
    index.newest_ms = std::max(index.newest_ms, range.max_time);
}

void DedupeIndex::prune() {
    sqlite::Statement jobs(db_, "SELECT DISTINCT job_id FROM seen_batches");
    std::vector<int64_t> job_ids;
    while (jobs.step()) job_ids.push_back(jobs.column_int(0));
    sqlite::Statement forget(db_, "DELETE FROM seen_batches WHERE job_id = ? AND max_time < ?");
    for (const int64_t job_id : job_ids) {
        JobIndex& index = job(job_id);
        const int64_t cutoff = index.newest_ms - window_ms_;
        forget.bind(1, job_id);
        forget.bind(2, cutoff);
        forget.run();
        const auto keep = std::find_if(index.batches.begin(), index.batches.end(),
                                       [&](const BatchRange& range) { return range.max_time >= cutoff; });
        for (auto it = index.batches.begin(); it != keep; ++it) evict(it->rowid);
        index.batches.erase(index.batches.begin(), keep);
    }
}

}  // namespace vigil
