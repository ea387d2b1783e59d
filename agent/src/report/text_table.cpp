#include "report/text_table.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <numeric>

namespace vigil {

namespace {

constexpr size_t kGap = 2;
constexpr size_t kNarrowest = 4;  // a column is never cut below this

}  // namespace

size_t display_width(const std::string& text) {
    size_t count = 0;
    for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return count;
}

std::string fit(const std::string& text, size_t width) {
    std::string flat = text;
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    if (display_width(flat) <= width) return flat;
    if (width == 0) return "";
    size_t kept = 0;
    size_t at = 0;
    while (at < flat.size() && kept < width - 1) {
        ++at;
        while (at < flat.size() && (static_cast<unsigned char>(flat[at]) & 0xC0) == 0x80) ++at;
        ++kept;
    }
    return flat.substr(0, at) + "\xE2\x80\xA6";  // …
}

size_t terminal_width() {
    if (const char* columns = std::getenv("COLUMNS")) {
        const long value = std::strtol(columns, nullptr, 10);
        if (value >= 40 && value <= 1000) return static_cast<size_t>(value);
    }
    winsize size{};
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col >= 40) return size.ws_col;
    return 120;
}

std::string TextTable::render(size_t width) const {
    const size_t columns = headers_.size();
    std::vector<size_t> widths(columns);
    for (size_t c = 0; c < columns; ++c) {
        widths[c] = display_width(headers_[c]);
        for (const auto& row : rows_) {
            if (c < row.size()) widths[c] = std::max(widths[c], display_width(row[c]));
        }
    }
    const auto total = [&] { return std::accumulate(widths.begin(), widths.end(), size_t{0}) + kGap * (columns - 1); };
    while (total() > width) {  // take one character from the widest column until it fits
        const auto widest = std::max_element(widths.begin(), widths.end());
        if (*widest <= kNarrowest) break;
        --*widest;
    }
    std::string out;
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (size_t c = 0; c < columns; ++c) {
            const std::string cell = fit(c < cells.size() ? cells[c] : "", widths[c]);
            text += cell;
            if (c + 1 < columns) text += std::string(widths[c] - display_width(cell) + kGap, ' ');
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out += text + "\n";
    };
    line(headers_);
    std::vector<std::string> rule;
    for (const size_t w : widths) rule.push_back(std::string(w, '-'));
    line(rule);
    for (const auto& row : rows_) line(row);
    return out;
}

}  // namespace vigil
