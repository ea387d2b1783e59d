#include "outputs/jsonl_output.hpp"

#include <vigil/plugin.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

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
        buffer_.clear();
        for (const vigil_record* record : records) {
            buffer_.append(record->json.data, record->json.size);
            buffer_.push_back('\n');
        }
        size_t written = 0;
        while (written < buffer_.size()) {
            const ssize_t n = ::write(fd_, buffer_.data() + written, buffer_.size() - written);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("cannot write to");
            written += static_cast<size_t>(n);
        }
        if (fsync_) {
            if (::fdatasync(fd_) != 0) fail("cannot flush");
            // The agent never reads these lines again: once on disk, their pages can leave the page cache, so
            // collecting gigabytes neither evicts the server's useful cache nor keeps claiming fresh memory.
            // Advice only; a reader of the file (a SIEM forwarder) still reads it, from disk.
            (void)::posix_fadvise(fd_, static_cast<off_t>(size_), static_cast<off_t>(buffer_.size()),
                                  POSIX_FADV_DONTNEED);
        }
        size_ += buffer_.size();
        return host_.set_resume_token(std::to_string(size_));
    }

private:
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
    std::string buffer_;
};

}  // namespace

const vigil_plugin_descriptor* jsonl_output_descriptor() {
    return sdk::describe<JsonlOutput>();
}

}  // namespace vigil
