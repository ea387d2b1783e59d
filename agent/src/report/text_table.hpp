#pragma once

#include <string>
#include <vector>

namespace vigil {

// A table for a terminal: columns as wide as their widest cell, two spaces apart, shrunk to fit `width` (widest
// columns first) with a visible "…" where a cell was cut. Widths count characters, not bytes (UTF-8).
class TextTable {
public:
    explicit TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    // A column never cut below this many characters when the table shrinks to fit (a time stamp stays whole).
    void keep_at_least(size_t column, size_t width);
    bool empty() const { return rows_.empty(); }
    std::string render(size_t width) const;

private:
    std::vector<std::string> headers_;
    std::vector<std::vector<std::string>> rows_;
    std::vector<size_t> minimum_widths_;
};

// The terminal's width (COLUMNS, else the tty's, else 120).
size_t terminal_width();

// Terminal columns of UTF-8 text (a code point is one, an East Asian wide one or an emoji two), and text cut to at
// most `width` columns with "…" when cut; fit also makes the text printable first.
size_t display_width(const std::string& text);
// Text safe to print on a terminal: line breaks and tabs become spaces, other control characters (C0, DEL, C1:
// the escape sequences that could move the cursor or retitle the window) become U+FFFD.
std::string printable(const std::string& text);
std::string fit(const std::string& text, size_t width);

}  // namespace vigil
