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

DedupeIndex::DedupeIndex(sqlite::Database& read_db, size_t cache_bytes)
    : select_ranges_(read_db, "SELECT rowid, min_time, max_time FROM seen_batches WHERE job_id = ? ORDER BY max_time"),
      select_blob_(read_db, "SELECT ids FROM seen_batches WHERE rowid = ?"),
      cache_budget_(cache_bytes) {}

DedupeIndex::JobIndex& DedupeIndex::job(int64_t job_id) {
    const auto found = jobs_.find(job_id);
    if (found != jobs_.end()) return found->second;
    JobIndex& index = jobs_[job_id];
    select_ranges_.bind(1, job_id);
    while (select_ranges_.step()) {
        const Range range{select_ranges_.column_int(0), select_ranges_.column_int(1), select_ranges_.column_int(2)};
        index.durable.push_back(range);
        index.newest_ms = std::max(index.newest_ms, range.max_time);
    }
    select_ranges_.reset();
    return index;
}

void DedupeIndex::decode(Batch& batch) {
    batch.entries.clear();
    for (size_t at = 0; at + 12 <= batch.blob.size();) {
        int64_t time_ms;
        uint32_t size;
        std::memcpy(&time_ms, batch.blob.data() + at, 8);
        std::memcpy(&size, batch.blob.data() + at + 8, 4);
        batch.entries.push_back(Entry{time_ms, std::string_view(batch.blob).substr(at + 12, size)});
        at += 12 + size;
    }
}

const DedupeIndex::Batch& DedupeIndex::decoded(int64_t rowid) {
    if (const auto hit = cache_index_.find(rowid); hit != cache_index_.end()) {
        cache_.splice(cache_.begin(), cache_, hit->second);
        return *hit->second;
    }
    Batch& batch = cache_.emplace_front();  // filled in place: entries view the blob
    batch.rowid = rowid;
    select_blob_.bind(1, rowid);
    if (select_blob_.step()) batch.blob.assign(select_blob_.column_blob(0));
    select_blob_.reset();
    decode(batch);
    cache_index_[rowid] = cache_.begin();
    cached_bytes_ += bytes_of(batch);
    // Keep at least the batch just loaded, whatever the budget.
    while (cached_bytes_ > cache_budget_ && cache_.size() > 1) evict(cache_.back().rowid);
    return cache_.front();
}

void DedupeIndex::evict(int64_t rowid) {
    const auto hit = cache_index_.find(rowid);
    if (hit == cache_index_.end()) return;
    cached_bytes_ -= bytes_of(*hit->second);
    cache_.erase(hit->second);
    cache_index_.erase(hit);
}

bool DedupeIndex::stored(int64_t job_id, JobIndex& index, int64_t time_ms, std::string_view id) {
    const Entry wanted{time_ms, id};
    for (const Batch& batch : pending_) {
        if (batch.job_id == job_id && batch.min_time <= time_ms && time_ms <= batch.max_time &&
            std::binary_search(batch.entries.begin(), batch.entries.end(), wanted)) {
            return true;
        }
    }
    if (time_ms > index.newest_ms) return false;  // newer than all the job stored
    // Ranges are sorted by max_time; those that may hold time_ms end at or after it.
    auto it = std::lower_bound(index.durable.begin(), index.durable.end(), time_ms,
                               [](const Range& range, int64_t t) { return range.max_time < t; });
    for (; it != index.durable.end(); ++it) {
        if (it->min_time > time_ms) continue;
        const Batch& batch = decoded(it->rowid);
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
        if (stored(job_id, index, batch.rows[row].time_ms, id_of(batch, row))) continue;
        new_rows.push_back(row);
    }
}

DedupeIndex::Row DedupeIndex::add_pending(uint64_t ticket, int64_t job_id, const SerializedBatch& batch,
                                          const std::vector<uint32_t>& new_rows) {
    sorted_.clear();
    for (const uint32_t row : new_rows) sorted_.push_back(Entry{batch.rows[row].time_ms, id_of(batch, row)});
    std::sort(sorted_.begin(), sorted_.end());
    Batch& pending = pending_.emplace_back();
    pending.ticket = ticket;
    pending.job_id = job_id;
    pending.min_time = sorted_.front().time_ms;
    pending.max_time = sorted_.back().time_ms;
    for (const Entry& entry : sorted_) append_entry(pending.blob, entry.time_ms, entry.id);
    decode(pending);
    return Row{ticket, job_id, pending.min_time, pending.max_time, pending.blob};
}

void DedupeIndex::promote(uint64_t ticket, int64_t rowid) {
    const auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Batch& b) { return b.ticket == ticket; });
    if (it == pending_.end()) return;
    JobIndex& index = job(it->job_id);
    const Range range{rowid, it->min_time, it->max_time};
    // Usually the newest batch: appended; an older one (a late backfill page) is inserted in order.
    const auto at = std::upper_bound(index.durable.begin(), index.durable.end(), range.max_time,
                                     [](int64_t t, const Range& r) { return t < r.max_time; });
    index.durable.insert(at, range);
    index.newest_ms = std::max(index.newest_ms, range.max_time);
    // The decoded batch moves into the cache as it is: it is the hottest batch for the next overlap.
    it->rowid = rowid;
    cached_bytes_ += bytes_of(*it);
    cache_.splice(cache_.begin(), pending_, it);
    cache_index_[rowid] = cache_.begin();
    while (cached_bytes_ > cache_budget_ && cache_.size() > 1) evict(cache_.back().rowid);
}

void DedupeIndex::discard_pending() {
    pending_.clear();
}

std::vector<std::pair<int64_t, int64_t>> DedupeIndex::expire(int64_t window_ms, const std::vector<int64_t>& job_ids) {
    std::vector<std::pair<int64_t, int64_t>> cutoffs;
    for (const int64_t job_id : job_ids) {
        JobIndex& index = job(job_id);
        if (index.newest_ms == INT64_MIN) continue;
        const int64_t cutoff = index.newest_ms - window_ms;
        cutoffs.emplace_back(job_id, cutoff);
        const auto keep = std::find_if(index.durable.begin(), index.durable.end(),
                                       [&](const Range& range) { return range.max_time >= cutoff; });
        for (auto it = index.durable.begin(); it != keep; ++it) evict(it->rowid);
        index.durable.erase(index.durable.begin(), keep);
    }
    return cutoffs;
}

}  // namespace vigil
