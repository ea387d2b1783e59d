#include "outputs/rotated_files.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>

namespace vigil {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kGzip = ".gz";
constexpr std::string_view kPartial = ".gz.tmp";
constexpr size_t kStampSize = 16;  // 20261205T101500Z

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "20261205T101500Z" or "20261205T101500Z-3": the stamp and the collision number, for sorting.
struct Stamp {
    std::string time;
    unsigned number = 0;
};

std::optional<Stamp> parse_stamp(std::string_view text) {
    if (text.size() < kStampSize) return std::nullopt;
    const std::string_view time = text.substr(0, kStampSize);
    if (!all_digits(time.substr(0, 8)) || time[8] != 'T' || !all_digits(time.substr(9, 6)) || time[15] != 'Z')
        return std::nullopt;
    const std::string_view rest = text.substr(kStampSize);
    if (rest.empty()) return Stamp{std::string(time), 0};
    if (rest[0] != '-' || !all_digits(rest.substr(1)) || rest.size() > 6) return std::nullopt;
    return Stamp{std::string(time), static_cast<unsigned>(std::stoul(std::string(rest.substr(1))))};
}

std::string stamp_of(int64_t now_ms) {
    const std::time_t seconds = static_cast<std::time_t>(now_ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[32];
    std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &utc);
    return text;
}

fs::path folder_of(const std::string& live_path) {
    const fs::path folder = fs::path(live_path).parent_path();
    return folder.empty() ? fs::path(".") : folder;
}

}  // namespace

std::string free_rotated_name(const std::string& live_path, int64_t now_ms) {
    const std::string base = live_path + "." + stamp_of(now_ms);
    std::error_code ignored;
    for (unsigned number = 0;; ++number) {
        const std::string candidate = number == 0 ? base : base + "-" + std::to_string(number);
        if (!fs::exists(candidate, ignored) && !fs::exists(candidate + std::string(kGzip), ignored)) return candidate;
    }
}

std::vector<RotatedFile> list_rotated(const std::string& live_path) {
    const std::string prefix = fs::path(live_path).filename().string() + ".";
    struct Entry {
        Stamp stamp;
        RotatedFile file;
    };
    std::vector<Entry> entries;
    std::error_code error;
    for (const auto& item : fs::directory_iterator(folder_of(live_path), error)) {
        const std::string name = item.path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        std::string_view rest = std::string_view(name).substr(prefix.size());
        const bool compressed = rest.ends_with(kGzip);
        if (compressed) rest.remove_suffix(kGzip.size());
        const auto stamp = parse_stamp(rest);
        if (!stamp) continue;
        struct stat info {};
        if (::stat(item.path().c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
        entries.push_back({*stamp, {item.path().string(), compressed, static_cast<uint64_t>(info.st_ino)}});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        if (a.stamp.time != b.stamp.time) return a.stamp.time < b.stamp.time;
        return a.stamp.number < b.stamp.number;
    });
    std::vector<RotatedFile> files;
    files.reserve(entries.size());
    for (auto& entry : entries) files.push_back(std::move(entry.file));
    return files;
}

void remove_partial_compressions(const std::string& live_path) {
    const std::string prefix = fs::path(live_path).filename().string() + ".";
    std::error_code error;
    for (const auto& item : fs::directory_iterator(folder_of(live_path), error)) {
        const std::string name = item.path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        std::string_view rest = std::string_view(name).substr(prefix.size());
        if (!rest.ends_with(kPartial)) continue;
        rest.remove_suffix(kPartial.size());
        if (parse_stamp(rest)) fs::remove(item.path(), error);
    }
}

}  // namespace vigil
