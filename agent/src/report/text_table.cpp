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

namespace {

// The code point at text[at] (UTF-8; a stray byte counts as itself) and its length in bytes.
char32_t code_point(const std::string& text, size_t at, size_t& length) {
    const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (at + length > text.size()) length = 1;
    if (length == 1) return lead;
    char32_t value = lead & (0xFF >> (length + 1));
    for (size_t i = 1; i < length; ++i) value = (value << 6) | (byte(at + i) & 0x3F);
    return value;
}

// Terminals give East Asian wide characters and most emoji two columns (Unicode's East Asian Width W and F,
// in the ranges names and text in a directory use).
bool is_wide(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
           (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

// Columns of one code point: 0 for a continuation of the one before (combining marks are not told apart here).
size_t columns_of(char32_t c) {
    return is_wide(c) ? 2 : 1;
}

}  // namespace

size_t display_width(const std::string& text) {
    size_t width = 0;
    size_t length = 0;
    for (size_t at = 0; at < text.size(); at += length) width += columns_of(code_point(text, at, length));
    return width;
}

std::string printable(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n' || c == '\r' || c == '\t') {
            out += ' ';
        } else if (c < 0x20 || c == 0x7F) {
            out += "\xEF\xBF\xBD";  // U+FFFD: an escape sequence in a display name must not drive the terminal
        } else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            out += "\xEF\xBF\xBD";  // a C1 control (U+0080..U+009F), CSI among them
            ++i;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string fit(const std::string& text, size_t width) {
    const std::string flat = printable(text);
    if (display_width(flat) <= width) return flat;
    if (width == 0) return "";
    size_t kept = 0;  // columns
    size_t at = 0;
    size_t length = 0;
    while (at < flat.size()) {
        const size_t columns = columns_of(code_point(flat, at, length));
        if (kept + columns > width - 1) break;
        kept += columns;
        at += length;
    }
    // A wide character that did not fit leaves one column: pad it so the cell is exactly `width` wide.
    return flat.substr(0, at) + std::string(width - 1 - kept, ' ') + "\xE2\x80\xA6";  // …
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

void TextTable::keep_at_least(size_t column, size_t width) {
    if (minimum_widths_.size() <= column) minimum_widths_.resize(column + 1, 0);
    minimum_widths_[column] = width;
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
    const auto floor_of = [&](size_t c) {
        return std::max(kNarrowest, c < minimum_widths_.size() ? minimum_widths_[c] : size_t{0});
    };
    while (total() > width) {  // take one character from the widest column that may shrink, until it fits
        size_t widest = columns;
        for (size_t c = 0; c < columns; ++c) {
            if (widths[c] > floor_of(c) && (widest == columns || widths[c] > widths[widest])) widest = c;
        }
        if (widest == columns) break;
        --widths[widest];
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
