#include "util/gzip_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

namespace vigil {

namespace {

constexpr size_t kChunkBytes = 256 * 1024;
constexpr int kGzipWindowBits = 15 + 16;  // zlib's way of asking for a gzip header and trailer
constexpr int kLevel = 6;

[[noreturn]] void fail(const std::string& step, const std::string& path) {
    throw std::runtime_error("cannot " + step + " " + path + ": " + std::generic_category().message(errno));
}

// Closes a descriptor on every path out.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

void write_all(int fd, const unsigned char* data, size_t size, const std::string& path) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("write", path);
        data += n;
        size -= static_cast<size_t>(n);
    }
}

void sync_folder_of(const std::string& path) {
    const auto folder = std::filesystem::path(path).parent_path();
    const Fd dir(::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() >= 0) (void)::fsync(dir.get());  // best effort: some filesystems refuse fsync on folders
}

}  // namespace

void gzip_file(const std::string& path) {
    const std::string target = path + ".gz";
    const std::string temporary = target + ".tmp";
    const Fd in(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) fail("open", path);
    struct stat info {};
    if (::fstat(in.get(), &info) != 0) fail("stat", path);
    const Fd out(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, info.st_mode & 07777));
    if (out.get() < 0) fail("create", temporary);

    z_stream stream{};
    if (deflateInit2(&stream, kLevel, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("cannot compress " + path + ": zlib would not start");
    std::vector<unsigned char> input(kChunkBytes);
    std::vector<unsigned char> output(kChunkBytes);
    try {
        for (int flush = Z_NO_FLUSH; flush != Z_FINISH;) {
            const ssize_t n = ::read(in.get(), input.data(), input.size());
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) fail("read", path);
            flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
            stream.next_in = input.data();
            stream.avail_in = static_cast<uInt>(n);
            do {
                stream.next_out = output.data();
                stream.avail_out = static_cast<uInt>(output.size());
                if (deflate(&stream, flush) == Z_STREAM_ERROR)
                    throw std::runtime_error("cannot compress " + path + ": zlib stream error");
                write_all(out.get(), output.data(), output.size() - stream.avail_out, temporary);
            } while (stream.avail_out == 0);
        }
    } catch (...) {
        deflateEnd(&stream);
        (void)::unlink(temporary.c_str());
        throw;
    }
    deflateEnd(&stream);
    if (::fsync(out.get()) != 0) {
        (void)::unlink(temporary.c_str());
        fail("flush", temporary);
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) fail("rename to", target);
    if (::unlink(path.c_str()) != 0) fail("remove", path);
    sync_folder_of(target);
}

void gzip_buffer(std::string_view data, std::string& out) {
    z_stream stream{};
    if (deflateInit2(&stream, 1, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("cannot compress: zlib would not start");
    out.resize(deflateBound(&stream, static_cast<uLong>(data.size())) + 32);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = deflate(&stream, Z_FINISH);
    const size_t written = out.size() - stream.avail_out;
    deflateEnd(&stream);
    if (result != Z_STREAM_END) throw std::runtime_error("cannot compress: zlib stopped early");
    out.resize(written);
}

std::string gunzip_file(const std::string& path) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr) fail("open", path);
    std::string content;
    std::vector<char> buffer(kChunkBytes);
    for (;;) {
        const int n = gzread(file, buffer.data(), static_cast<unsigned>(buffer.size()));
        if (n < 0) {
            int code = 0;
            const std::string reason = gzerror(file, &code);
            gzclose(file);
            throw std::runtime_error(path + " is not valid gzip: " + reason);
        }
        if (n == 0) break;
        content.append(buffer.data(), static_cast<size_t>(n));
    }
    int code = Z_OK;
    const std::string reason = gzerror(file, &code);
    // zlib reads a file without a gzip header as it is ("transparent"); a rotated file must be compressed.
    const bool plain = gzdirect(file) != 0;
    gzclose(file);
    if (code != Z_OK) throw std::runtime_error(path + " is not valid gzip: " + reason);
    if (plain) throw std::runtime_error(path + " is not gzip: it has no gzip header");
    return content;
}

}  // namespace vigil
