#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// The spool's event bodies: append-only segment files in one folder, named after the sequence of their first
// record (00000000000000000001.seg). What is committed is decided elsewhere (the spool's SQLite tail); this layer
// only appends, syncs, rewinds to a committed tail and deletes delivered segments.
//
// Record layout (little-endian), 40-byte header then the id and the JSON:
//   u32 size (of everything after this field)  u32 crc32c (of everything after this field)
//   u64 sequence  i64 job_id  i64 time_ms  i32 raw_offset  u32 id_size  id  json
struct SegmentPosition {
    uint64_t segment = 0;  // first sequence of the segment; 0: nothing committed yet
    uint64_t offset = 0;   // bytes of that segment that are committed
    bool operator==(const SegmentPosition&) const = default;
};

struct SegmentRecord {
    uint64_t sequence;
    int64_t job_id;
    int64_t time_ms;
    int64_t raw_offset;
    std::string_view id;
    std::string_view json;
};

// Appends one framed record to out.
void frame_record(std::string& out, uint64_t sequence, int64_t job_id, int64_t time_ms, int64_t raw_offset,
                  std::string_view id, std::string_view json);

// The single writer of the segment folder. Not thread-safe: the spool calls it under its lock, except for the
// static sync(), which the spool's writer thread runs on segment names from take_for_sync() while appends go on.
class SegmentWriter {
public:
    SegmentWriter(std::string dir, uint64_t max_segment_bytes);
    ~SegmentWriter();
    SegmentWriter(const SegmentWriter&) = delete;
    SegmentWriter& operator=(const SegmentWriter&) = delete;

    // Brings the folder back to what was committed: truncates the tail segment to its committed size and deletes
    // segments begun after it (their records were never committed). Called once, before any append.
    void recover(SegmentPosition committed);
    // Writes framed records whose first sequence is first_sequence (into the page cache), starting a new segment
    // when the active one is full. Returns the new written tail. Throws std::system_error; the caller then
    // truncates back to the tail before the append.
    SegmentPosition append(std::string_view framed, uint64_t first_sequence);
    // The segments whose appended records may not be on disk yet (full ones not synced since, and the active one).
    std::vector<uint64_t> take_for_sync();
    // Makes everything written to those segments durable (fdatasync through a descriptor of its own: dirty pages
    // belong to the file, not to the descriptor that wrote them). Throws std::system_error naming the file.
    static void sync(const std::string& dir, const std::vector<uint64_t>& segments);
    // Drops everything after position: later segments are deleted, the segment of position truncated to it.
    void truncate_to(SegmentPosition position);
    // The files of segments all of whose records have a sequence <= delivered and that end before `durable`: the
    // writer never touches them again, so the caller may delete them outside its lock.
    std::vector<std::string> delivered_files(uint64_t delivered, SegmentPosition durable) const;

private:
    void open_segment(uint64_t first_sequence, bool create);
    std::string file_of(uint64_t first_sequence) const;
    void close_active();

    std::string dir_;
    uint64_t max_segment_bytes_;
    int fd_ = -1;
    SegmentPosition active_{};
    std::vector<uint64_t> sealed_unsynced_;  // full segments whose last records may not be on disk yet
};

// Reads records in sequence order for one consumer. Not thread-safe; each output runner has its own.
class SegmentReader {
public:
    explicit SegmentReader(std::string dir);
    ~SegmentReader();
    SegmentReader(const SegmentReader&) = delete;
    SegmentReader& operator=(const SegmentReader&) = delete;

    // Fills out[0..count) with up to max records with a sequence > after, never reading past tail. The views stay
    // valid until the next call. Throws std::runtime_error naming the file and offset of a corrupt record.
    size_t read(uint64_t after, size_t max, SegmentPosition tail, std::vector<SegmentRecord>& out);

private:
    void seek(uint64_t after, SegmentPosition tail);
    bool open_next_segment(SegmentPosition tail);
    void open_file(uint64_t first_sequence);

    std::string dir_;
    int fd_ = -1;
    uint64_t segment_ = 0;   // open segment (first sequence)
    uint64_t offset_ = 0;    // next byte to parse in it
    uint64_t position_ = 0;  // sequence of the last record returned; reads continue from here
    bool positioned_ = false;
    std::string buffer_;
};

// The file of the segment whose first record is first_sequence.
std::string segment_path(const std::string& dir, uint64_t first_sequence);

// The segment files in dir, by first sequence, ascending.
std::vector<uint64_t> list_segments(const std::string& dir);

}  // namespace vigil
