#include "report/report_renderer.hpp"

#include <string>
#include <string_view>

namespace vigil {

namespace {

bool is_number(std::string_view text) {
    size_t at = text.size() > 1 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
    bool digits = false;
    bool point = false;
    for (; at < text.size(); ++at) {
        if (text[at] >= '0' && text[at] <= '9') {
            digits = true;
        } else if (text[at] == '.' && !point) {
            point = true;
        } else {
            return false;
        }
    }
    return digits;
}

// One RFC 4180 field. A cell a spreadsheet would run as a formula (= + - @, or a tab or carriage return before
// one) gets a leading apostrophe, which spreadsheets show as text; a plain number such as -3 is left alone.
void append_field(std::string& out, std::string_view text) {
    std::string value;
    if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos && !is_number(text)) {
        value = "'";
    }
    value += text;
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        out += value;
        return;
    }
    out += '"';
    for (const char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace

void render_csv_report(const Report& report, std::ostream& out) {
    bool header_written = false;
    std::string line;
    for (const ReportSection& section : report.sections) {
        for (const ReportTable& table : section.tables) {
            if (table.key != report.csv_table) continue;
            if (!header_written) {
                line.clear();
                for (const auto& [key, value] : section.facts) {
                    append_field(line, key);
                    line += ',';
                }
                for (const ReportColumn& column : table.columns) {
                    append_field(line, column.key);
                    line += ',';
                }
                if (!line.empty()) line.back() = '\r';
                out << line << '\n';
                header_written = true;
            }
            size_t shown = 0;
            table.for_each_row([&](const ReportRow& row) {
                if (shown++ == table.row_limit) return false;
                line.clear();
                for (const auto& [key, value] : section.facts) {
                    append_field(line, value);
                    line += ',';
                }
                for (size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
                    append_field(line, row[c].text);
                    line += ',';
                }
                if (!line.empty()) line.back() = '\r';
                out << line << '\n';
                return true;
            });
        }
    }
}

}  // namespace vigil
