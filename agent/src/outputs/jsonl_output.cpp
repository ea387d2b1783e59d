#include "outputs/jsonl_output.hpp"

#include "outputs/event_format.hpp"
#include "outputs/record_fields.hpp"
#include "outputs/rotated_files.hpp"
#include "util/gzip_file.hpp"

#include <vigil/plugin.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace vigil {

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kMegabyte = 1024 * 1024;

// Where the output last confirmed a write: "<offset>@<inode>" (before rotation existed: "<offset>"). The inode
// tells, after a restart, whether the live file is still the one the offset is in, or a newer one.
struct Position {
    uint64_t offset = 0;
    uint64_t inode = 0;  // 0: unknown
};

std::optional<Position> parse_position(std::string_view token) {
    Position position;
    const char* end = token.data() + token.size();
    auto [next, error] = std::from_chars(token.data(), end, position.offset);
    if (error != std::errc() || next == token.data()) return std::nullopt;
    if (next == end) return position;
    if (*next != '@') return std::nullopt;
    auto [last, inode_error] = std::from_chars(next + 1, end, position.inode);
    if (inode_error != std::errc() || last != end) return std::nullopt;
    return position;
}

class JsonlOutput {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_OUTPUT;
    static constexpr const char* name = "jsonl";
    static constexpr const char* version = "1.1.0";
    static constexpr const char* description = "Appends each event as one JSON line to a file, rotated by size or day";
    static constexpr vigil_config_key config_keys[] = {
        sdk::key("path", VIGIL_VALUE_PATH, nullptr, "the file events are appended to", true),
        sdk::key("fsync", VIGIL_VALUE_BOOL, "true",
                 "flush each batch to disk before confirming it (off: faster, but a power loss may lose the tail)"),
        sdk::key("max_size_mb", VIGIL_VALUE_INT, "0",
                 "rotate the file before it grows past this many MiB (0: no size limit)", false, 0, 1 << 20),
        sdk::key("rotate_daily", VIGIL_VALUE_BOOL, "false", "rotate the file at the first write of each UTC day"),
        sdk::key("compress", VIGIL_VALUE_BOOL, "true", "gzip rotated files (name.gz)"),
        sdk::key("format", VIGIL_VALUE_STRING, "native",
                 "each line the event record (native) or mapped to ocsf or ecs (docs/formats.md)"),
        sdk::key("max_files", VIGIL_VALUE_INT, "0",
                 "rotated files kept; the oldest beyond this are deleted (0: keep them all)", false, 0, 100000),
    };

    JsonlOutput(sdk::Host host, const sdk::Config& config)
        : host_(host),
          path_(config.get_string("path")),
          fsync_(config.get_bool("fsync")),
          max_size_bytes_(static_cast<uint64_t>(config.get_int("max_size_mb") * kMegabyte)),
          rotate_daily_(config.get_bool("rotate_daily")),
          compress_(config.get_bool("compress")),
          max_files_(static_cast<size_t>(config.get_int("max_files"))) {
        if (!parse_event_format(config.get_string("format"), format_))
            throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                             "format: '" + config.get_string("format") + "' is not native, ocsf or ecs");
    }
    ~JsonlOutput() { close_file(); }
    JsonlOutput(const JsonlOutput&) = delete;
    JsonlOutput& operator=(const JsonlOutput&) = delete;

    void open(std::string_view resume_token) {
        std::error_code ignored;
        const auto parent = std::filesystem::path(path_).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
        remove_partial_compressions(path_);
        open_live_file();
        uint64_t confirmed = size_;  // first delivery: append after whatever the file already holds
        if (!resume_token.empty()) confirmed = confirmed_offset(resume_token);
        if (size_ > confirmed) {
            // Lines past the last confirmed write were not recorded as delivered: they will be written again.
            if (::ftruncate(fd_, static_cast<off_t>(confirmed)) != 0) fail("cannot truncate", path_);
            size_ = confirmed;
        }
        struct stat info {};
        if (::fstat(fd_, &info) != 0) fail("cannot stat", path_);
        file_day_ = size_ > 0 ? static_cast<int64_t>(info.st_mtime) * 1000 / kDayMs : host_.now_ms() / kDayMs;
        housekeeping_due_ = true;
        // Recorded before anything is written, so that a crash during the first write rewinds to here.
        host_.set_resume_token(position());
    }

    vigil_status write(std::span<const vigil_record* const> records) {
        // Every rotated file is confirmed now (the host recorded the position of the previous write or open()),
        // so finishing their compression cannot lose a line that will be written again.
        if (housekeeping_due_) tidy_rotated_files();
        uint64_t batch_bytes = 0;
        if (format_ != EventFormat::native) {
            format_batch(records);
            batch_bytes = formatted_.size();
        } else {
            for (const vigil_record* record : records) batch_bytes += record->json.size + 1;
        }
        const int64_t now_ms = host_.now_ms();
        const bool new_day = rotate_daily_ && now_ms / kDayMs != file_day_;
        const bool too_big = max_size_bytes_ > 0 && size_ + batch_bytes > max_size_bytes_;
        if (size_ > 0 && (new_day || too_big)) rotate(now_ms);
        if (size_ == 0) file_day_ = now_ms / kDayMs;

        // Each record and its newline go straight from the spool's buffer to the kernel: no copy into a batch
        // buffer (the lines of a million events are gigabytes). A mapped format is one buffer of its own.
        static constexpr char kNewline = '\n';
        if (format_ != EventFormat::native) {
            iovecs_.assign(1, iovec{formatted_.data(), formatted_.size()});
            write_all(formatted_.size());
        }
        for (size_t first = 0; format_ == EventFormat::native && first < records.size(); first += kRecordsPerCall) {
            const size_t count = std::min(kRecordsPerCall, records.size() - first);
            iovecs_.clear();
            size_t call_bytes = 0;
            for (size_t i = first; i < first + count; ++i) {
                iovecs_.push_back({const_cast<char*>(records[i]->json.data), records[i]->json.size});
                iovecs_.push_back({const_cast<char*>(&kNewline), 1});
                call_bytes += records[i]->json.size + 1;
            }
            write_all(call_bytes);
        }
        if (fsync_) {
            if (::fdatasync(fd_) != 0) fail("cannot flush", path_);
            // The agent never reads these lines again: once on disk, their pages can leave the page cache, so
            // collecting gigabytes neither evicts the server's useful cache nor keeps claiming fresh memory.
            // Advice only; a reader of the file (a SIEM forwarder) still reads it, from disk.
            (void)::posix_fadvise(fd_, static_cast<off_t>(size_), static_cast<off_t>(batch_bytes), POSIX_FADV_DONTNEED);
        }
        size_ += batch_bytes;
        return host_.set_resume_token(position());
    }

private:
    static constexpr size_t kRecordsPerCall = IOV_MAX / 2;

    // formatted_ = every record mapped to format_, one per line.
    void format_batch(std::span<const vigil_record* const> records) {
        formatted_.clear();
        for (const vigil_record* record : records) {
            const std::string_view json(record->json.data, record->json.size);
            read_record_fields(reader_, *record, event_, reason_);
            formatter_.append(formatted_, format_, event_, json);
            formatted_ += '\n';
        }
    }

    std::string position() const { return std::to_string(size_) + "@" + std::to_string(inode_); }

    // The offset in the live file up to which lines were confirmed, from the token the host saved.
    uint64_t confirmed_offset(std::string_view token) {
        const auto saved = parse_position(token);
        if (!saved) {
            host_.warn("the saved position of " + path_ + " is unreadable ('" + std::string(token) +
                       "'): appending from the file's current end");
            return size_;
        }
        if (saved->inode == 0 || saved->inode == inode_) {
            if (size_ < saved->offset) {
                host_.warn(path_ +
                           " is shorter than Vigil last wrote it (rotated or truncated by someone else?): "
                           "appending from its current end");
                return size_;
            }
            return saved->offset;
        }
        for (const RotatedFile& file : list_rotated(path_)) {
            // Vigil rotated the file, then stopped before the host recorded a write to the new one: every line in
            // the live file is unconfirmed and will be written again.
            if (!file.compressed && file.inode == saved->inode) return 0;
        }
        host_.warn(path_ + " is not the file Vigil last wrote (replaced by someone else?): appending from its end");
        return size_;
    }

    void rotate(int64_t now_ms) {
        const std::string target = free_rotated_name(path_, now_ms);
        if (!fsync_ && ::fdatasync(fd_) != 0) fail("cannot flush", path_);  // a rotated file is complete on disk
        if (::rename(path_.c_str(), target.c_str()) != 0) fail("cannot rotate", path_ + " to " + target);
        open_live_file();
        sync_folder();
        housekeeping_due_ = true;
        host_.log(VIGIL_LOG_DEBUG, "rotated " + path_ + " to " + target);
    }

    // Compresses the rotated files left uncompressed, then keeps only the newest max_files.
    void tidy_rotated_files() {
        std::vector<RotatedFile> rotated = list_rotated(path_);
        if (compress_) {
            for (RotatedFile& file : rotated) {
                if (file.compressed) continue;
                try {
                    gzip_file(file.path);
                } catch (const std::exception& failure) {
                    throw sdk::Error(VIGIL_ERR_IO, std::string("cannot compress a rotated file: ") + failure.what());
                }
                file.path += ".gz";
                file.compressed = true;
            }
        }
        if (max_files_ > 0 && rotated.size() > max_files_) {
            for (size_t i = 0; i + max_files_ < rotated.size(); ++i) {
                std::error_code error;
                std::filesystem::remove(rotated[i].path, error);
                if (error)
                    throw sdk::Error(VIGIL_ERR_IO, "cannot remove " + rotated[i].path + " (max_files: " +
                                                       std::to_string(max_files_) + "): " + error.message());
                host_.info("removed " + rotated[i].path +
                           ", the oldest rotated file beyond max_files: " + std::to_string(max_files_));
            }
        }
        housekeeping_due_ = false;
    }

    void open_live_file() {
        close_file();
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (fd_ < 0) fail("cannot open", path_);
        struct stat info {};
        if (::fstat(fd_, &info) != 0) fail("cannot stat", path_);
        size_ = static_cast<uint64_t>(info.st_size);
        inode_ = static_cast<uint64_t>(info.st_ino);
    }

    void sync_folder() const {
        const auto parent = std::filesystem::path(path_).parent_path();
        const int dir = ::open(parent.empty() ? "." : parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0) return;
        (void)::fsync(dir);  // best effort: a rename is already atomic; this makes it survive a power loss
        ::close(dir);
    }

    // Writes iovecs_ (total bytes) completely; a short write continues where the kernel stopped.
    void write_all(size_t total) {
        size_t done = 0;
        size_t index = 0;
        while (done < total) {
            const ssize_t n = ::writev(fd_, iovecs_.data() + index, static_cast<int>(iovecs_.size() - index));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("cannot write to", path_);
            done += static_cast<size_t>(n);
            for (size_t left = static_cast<size_t>(n); left > 0;) {  // skip what was written
                const size_t step = std::min(left, iovecs_[index].iov_len);
                iovecs_[index].iov_base = static_cast<char*>(iovecs_[index].iov_base) + step;
                iovecs_[index].iov_len -= step;
                left -= step;
                if (iovecs_[index].iov_len == 0) ++index;
            }
        }
    }

    [[noreturn]] static void fail(const char* what, const std::string& path) {
        // generic_category().message() rather than strerror(): two jsonl outputs fail on two threads.
        throw sdk::Error(VIGIL_ERR_IO, std::string(what) + " " + path + ": " + std::generic_category().message(errno));
    }
    void close_file() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    sdk::Host host_;
    std::string path_;
    bool fsync_;
    uint64_t max_size_bytes_;
    bool rotate_daily_;
    bool compress_;
    size_t max_files_;
    int fd_ = -1;
    uint64_t size_ = 0;
    uint64_t inode_ = 0;
    int64_t file_day_ = 0;           // days since the epoch (UTC) of the live file's lines
    bool housekeeping_due_ = false;  // rotated files may wait for compression or removal
    std::vector<iovec> iovecs_;      // reused between batches
    EventFormat format_ = EventFormat::native;
    EventRecordReader reader_;
    EventFormatter formatter_;
    StoredEventView event_;
    std::string reason_;
    std::string formatted_;  // a batch in a mapped format; reused
};

}  // namespace

const vigil_plugin_descriptor* jsonl_output_descriptor() {
    return sdk::describe<JsonlOutput>();
}

}  // namespace vigil
