#include "outputs/jsonl_output.hpp"

#include <vigil/plugin.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace vigil {

namespace {

class JsonlOutput {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_OUTPUT;
    static constexpr const char* name = "jsonl";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Appends each event as one JSON line to a file";
    static constexpr vigil_config_key config_keys[] = {
        sdk::key("path", VIGIL_VALUE_PATH, nullptr, "the file events are appended to", true),
        sdk::key("fsync", VIGIL_VALUE_BOOL, "true",
                 "flush each batch to disk before confirming it (off: faster, but a power loss may lose the tail)"),
    };

    JsonlOutput(sdk::Host host, const sdk::Config& config)
        : host_(host), path_(config.get_string("path")), fsync_(config.get_bool("fsync")) {}
    ~JsonlOutput() { close_file(); }
    JsonlOutput(const JsonlOutput&) = delete;
    JsonlOutput& operator=(const JsonlOutput&) = delete;

    void open(std::string_view resume_token) {
        close_file();
        std::error_code ignored;
        const auto parent = std::filesystem::path(path_).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent, ignored);
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (fd_ < 0) fail("cannot open");
        struct stat info {};
        if (::fstat(fd_, &info) != 0) fail("cannot stat");
        size_ = static_cast<uint64_t>(info.st_size);
        // First delivery: append after whatever the file already holds, and say so, so that a crash during the
        // first write rewinds to here.
        const uint64_t confirmed = resume_token.empty() ? size_ : std::stoull(std::string(resume_token));
        if (size_ > confirmed) {
            // Lines past the last confirmed write were not recorded as delivered: they will be written again.
            if (::ftruncate(fd_, static_cast<off_t>(confirmed)) != 0) fail("cannot truncate");
            size_ = confirmed;
        } else if (size_ < confirmed) {
            host_.warn(path_ +
                       " is shorter than Vigil last wrote it (rotated or truncated by someone else?): "
                       "appending from its current end");
        }
        host_.set_resume_token(std::to_string(size_));
    }

    vigil_status write(std::span<const vigil_record* const> records) {
        // Each record and its newline go straight from the spool's buffer to the kernel: no copy into a batch
        // buffer (the lines of a million events are gigabytes).
        static constexpr char kNewline = '\n';
        uint64_t batch_bytes = 0;
        for (size_t first = 0; first < records.size(); first += kRecordsPerCall) {
            const size_t count = std::min(kRecordsPerCall, records.size() - first);
            iovecs_.clear();
            size_t call_bytes = 0;
            for (size_t i = first; i < first + count; ++i) {
                iovecs_.push_back({const_cast<char*>(records[i]->json.data), records[i]->json.size});
                iovecs_.push_back({const_cast<char*>(&kNewline), 1});
                call_bytes += records[i]->json.size + 1;
            }
            write_all(call_bytes);
            batch_bytes += call_bytes;
        }
        if (fsync_) {
            if (::fdatasync(fd_) != 0) fail("cannot flush");
            // The agent never reads these lines again: once on disk, their pages can leave the page cache, so
            // collecting gigabytes neither evicts the server's useful cache nor keeps claiming fresh memory.
            // Advice only; a reader of the file (a SIEM forwarder) still reads it, from disk.
            (void)::posix_fadvise(fd_, static_cast<off_t>(size_), static_cast<off_t>(batch_bytes), POSIX_FADV_DONTNEED);
        }
        size_ += batch_bytes;
        return host_.set_resume_token(std::to_string(size_));
    }

private:
    static constexpr size_t kRecordsPerCall = IOV_MAX / 2;

    // Writes iovecs_ (total bytes) completely; a short write continues where the kernel stopped.
    void write_all(size_t total) {
        size_t done = 0;
        size_t index = 0;
        while (done < total) {
            const ssize_t n = ::writev(fd_, iovecs_.data() + index, static_cast<int>(iovecs_.size() - index));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("cannot write to");
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

    [[noreturn]] void fail(const char* what) const {
        // generic_category().message() rather than strerror(): two jsonl outputs fail on two threads.
        throw sdk::Error(VIGIL_ERR_IO, std::string(what) + " " + path_ + ": " + std::generic_category().message(errno));
    }
    void close_file() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

    sdk::Host host_;
    std::string path_;
    bool fsync_;
    int fd_ = -1;
    uint64_t size_ = 0;
    std::vector<iovec> iovecs_;  // reused between batches
};

}  // namespace

const vigil_plugin_descriptor* jsonl_output_descriptor() {
    return sdk::describe<JsonlOutput>();
}

}  // namespace vigil
