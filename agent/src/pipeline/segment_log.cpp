#include "pipeline/segment_log.hpp"

#include "util/crc32c.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace vigil {

static_assert(std::endian::native == std::endian::little, "the segment format is written little-endian");

namespace {

constexpr size_t kHeaderSize = 40;
constexpr size_t kChunkSize = 1 << 20;

template <class T>
void put(std::string& out, T value) {
    out.append(reinterpret_cast<const char*>(&value), sizeof(value));
}

template <class T>
T get(const char* at) {
    T value;
    std::memcpy(&value, at, sizeof(value));
    return value;
}

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw std::system_error(errno, std::generic_category(), what + " " + path);
}

void sync_folder(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("cannot open folder", dir);
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) fail("cannot sync folder", dir);
}

uint64_t file_size(int fd, const std::string& path) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) fail("cannot stat", path);
    return static_cast<uint64_t>(info.st_size);
}

}  // namespace

std::string segment_path(const std::string& dir, uint64_t first_sequence) {
    char name[32];
    std::snprintf(name, sizeof(name), "%020llu.seg", static_cast<unsigned long long>(first_sequence));
    return dir + "/" + name;
}

void frame_record(std::string& out, uint64_t sequence, int64_t job_id, int64_t time_ms, int64_t raw_offset,
                  std::string_view id, std::string_view json) {
    const size_t start = out.size();
    put<uint32_t>(out, static_cast<uint32_t>(kHeaderSize - 4 + id.size() + json.size()));
    put<uint32_t>(out, 0);  // the checksum, filled in below
    put<uint64_t>(out, sequence);
    put<int64_t>(out, job_id);
    put<int64_t>(out, time_ms);
    put<int32_t>(out, static_cast<int32_t>(raw_offset));
    put<uint32_t>(out, static_cast<uint32_t>(id.size()));
    out.append(id);
    out.append(json);
    const uint32_t crc = crc32c(std::string_view(out).substr(start + 8));
    std::memcpy(out.data() + start + 4, &crc, sizeof(crc));
}

std::vector<uint64_t> list_segments(const std::string& dir) {
    std::vector<uint64_t> segments;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().string();
        if (name.size() != 24 || !name.ends_with(".seg")) continue;
        segments.push_back(std::stoull(name.substr(0, 20)));
    }
    std::sort(segments.begin(), segments.end());
    return segments;
}

SegmentWriter::SegmentWriter(std::string dir, uint64_t max_segment_bytes)
    : dir_(std::move(dir)), max_segment_bytes_(max_segment_bytes) {
    std::filesystem::create_directories(dir_);
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all);
}

SegmentWriter::~SegmentWriter() {
    close_active();
}

void SegmentWriter::close_active() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

std::string SegmentWriter::file_of(uint64_t first_sequence) const {
    return segment_path(dir_, first_sequence);
}

void SegmentWriter::open_segment(uint64_t first_sequence, bool create) {
    const std::string path = file_of(first_sequence);
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0), 0600);
    if (fd < 0) fail(create ? "cannot create spool segment" : "cannot open spool segment", path);
    // The new file's name must be as durable as its records.
    if (create) sync_folder(dir_);
    if (fd_ >= 0 && active_.segment != 0) sealed_unsynced_.push_back(active_.segment);  // synced by the next flush
    close_active();
    fd_ = fd;
}

void SegmentWriter::recover(SegmentPosition committed) {
    const std::vector<uint64_t> segments = list_segments(dir_);
    if (committed.segment != 0 && std::find(segments.begin(), segments.end(), committed.segment) == segments.end()) {
        throw std::runtime_error("spool segment " + file_of(committed.segment) +
                                 " is missing although the spool says it holds committed events: restore it from a "
                                 "backup, or move data_dir aside to start afresh");
    }
    if (committed.segment != 0) {
        std::error_code error;
        const uint64_t size = std::filesystem::file_size(file_of(committed.segment), error);
        if (size < committed.offset) {
            throw std::runtime_error("spool segment " + file_of(committed.segment) + " is shorter (" +
                                     std::to_string(size) + " bytes) than its committed " +
                                     std::to_string(committed.offset) +
                                     " bytes: the disk lost data; restore data_dir or move it aside");
        }
    }
    truncate_to(committed);
}

SegmentPosition SegmentWriter::append(std::string_view framed, uint64_t first_sequence) {
    if (fd_ < 0 || active_.offset >= max_segment_bytes_) {
        open_segment(first_sequence, true);
        active_ = SegmentPosition{first_sequence, 0};
    }
    size_t written = 0;
    while (written < framed.size()) {
        const ssize_t n = ::write(fd_, framed.data() + written, framed.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("cannot write spool segment", file_of(active_.segment));
        written += static_cast<size_t>(n);
    }
    active_.offset += framed.size();
    return active_;
}

std::vector<uint64_t> SegmentWriter::take_for_sync() {
    std::vector<uint64_t> segments;
    segments.swap(sealed_unsynced_);
    if (active_.segment != 0) segments.push_back(active_.segment);
    return segments;
}

void SegmentWriter::sync(const std::string& dir, const std::vector<uint64_t>& segments) {
    for (const uint64_t segment : segments) {
        const std::string path = segment_path(dir, segment);
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) fail("cannot open spool segment to sync it:", path);
        const int rc = ::fdatasync(fd);
        const int sync_errno = errno;
        ::close(fd);
        if (rc != 0) {
            errno = sync_errno;
            fail("cannot sync spool segment", path);
        }
    }
}

void SegmentWriter::truncate_to(SegmentPosition position) {
    close_active();
    for (const uint64_t segment : list_segments(dir_)) {
        // Begun after position: nothing in it counts.
        if (position.segment == 0 || segment > position.segment) std::filesystem::remove(file_of(segment));
    }
    // Full segments up to position keep their place in the next flush.
    std::erase_if(sealed_unsynced_, [&](uint64_t segment) { return segment >= position.segment; });
    active_ = position;
    if (position.segment == 0) return;
    open_segment(position.segment, false);
    if (::ftruncate(fd_, static_cast<off_t>(position.offset)) != 0) fail("cannot truncate", file_of(position.segment));
}

std::vector<std::string> SegmentWriter::delivered_files(uint64_t delivered, SegmentPosition durable) const {
    std::vector<std::string> files;
    const std::vector<uint64_t> segments = list_segments(dir_);
    for (size_t i = 0; i + 1 < segments.size(); ++i) {
        const uint64_t last_sequence = segments[i + 1] - 1;
        if (last_sequence > delivered || segments[i] >= durable.segment || segments[i] == active_.segment) break;
        files.push_back(file_of(segments[i]));
    }
    return files;
}

SegmentReader::SegmentReader(std::string dir) : dir_(std::move(dir)) {}

SegmentReader::~SegmentReader() {
    if (fd_ >= 0) ::close(fd_);
}

void SegmentReader::open_file(uint64_t first_sequence) {
    if (fd_ >= 0) ::close(fd_);
    const std::string path = segment_path(dir_, first_sequence);
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) fail("cannot open spool segment", path);
    segment_ = first_sequence;
    offset_ = 0;
}

void SegmentReader::seek(uint64_t after, SegmentPosition tail) {
    const std::vector<uint64_t> segments = list_segments(dir_);
    uint64_t chosen = 0;
    for (const uint64_t segment : segments) {
        if (segment > tail.segment) break;
        if (chosen == 0 || segment <= after + 1) chosen = segment;
    }
    if (chosen == 0) throw std::runtime_error("the spool folder " + dir_ + " holds no segment to read");
    open_file(chosen);
    position_ = after;
    positioned_ = true;
}

bool SegmentReader::open_next_segment(SegmentPosition tail) {
    for (const uint64_t segment : list_segments(dir_)) {
        if (segment > segment_ && segment <= tail.segment) {
            open_file(segment);
            return true;
        }
    }
    return false;
}

size_t SegmentReader::read(uint64_t after, size_t max, SegmentPosition tail, std::vector<SegmentRecord>& out) {
    if (tail.segment == 0 || max == 0) return 0;
    if (!positioned_ || after != position_) seek(after, tail);
    size_t count = 0;
    while (count == 0) {
        const uint64_t end = segment_ == tail.segment ? tail.offset : file_size(fd_, segment_path(dir_, segment_));
        if (offset_ >= end) {
            if (segment_ < tail.segment && open_next_segment(tail)) continue;
            return 0;
        }
        const uint64_t wanted = std::min<uint64_t>(end - offset_, std::max(kChunkSize, buffer_.size()));
        buffer_.resize(wanted);
        size_t got = 0;
        while (got < wanted) {
            const ssize_t n = ::pread(fd_, buffer_.data() + got, wanted - got, static_cast<off_t>(offset_ + got));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) fail("cannot read spool segment", segment_path(dir_, segment_));
            got += static_cast<size_t>(n);
        }
        size_t at = 0;
        while (at + 4 <= wanted && count < max) {
            const uint32_t size = get<uint32_t>(buffer_.data() + at);
            if (size < kHeaderSize - 4) {
                throw std::runtime_error("spool segment " + segment_path(dir_, segment_) + " is corrupt at offset " +
                                         std::to_string(offset_ + at) + " (record size " + std::to_string(size) + ")");
            }
            if (at + 4 + size > wanted) {
                // A record cut by the chunk: the next call reads it whole (growing the buffer if it is larger).
                if (at == 0) buffer_.resize(4 + size);
                break;
            }
            const char* record = buffer_.data() + at;
            const std::string_view checked(record + 8, size - 4);
            if (crc32c(checked) != get<uint32_t>(record + 4)) {
                throw std::runtime_error("spool segment " + segment_path(dir_, segment_) +
                                         " has a checksum mismatch at offset " + std::to_string(offset_ + at) +
                                         ": the disk corrupted it; move data_dir aside to start afresh");
            }
            const uint64_t sequence = get<uint64_t>(record + 8);
            const auto id_size = get<uint32_t>(record + 36);
            if (sequence > after) {
                if (count == out.size()) out.emplace_back();
                out[count++] =
                    SegmentRecord{sequence,
                                  get<int64_t>(record + 16),
                                  get<int64_t>(record + 24),
                                  get<int32_t>(record + 32),
                                  std::string_view(record + kHeaderSize, id_size),
                                  std::string_view(record + kHeaderSize + id_size, size + 4 - kHeaderSize - id_size)};
                position_ = sequence;
            }
            at += 4 + size;
        }
        offset_ += at;
        if (count == 0) position_ = std::max(position_, after);
    }
    return count;
}

}  // namespace vigil
