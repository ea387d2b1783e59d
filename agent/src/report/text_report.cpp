#include "report/report_renderer.hpp"
#include "report/text_table.hpp"

#include <string>

namespace vigil {

void render_text_report(const Report& report, size_t width, std::ostream& out) {
    out << printable(report.title) << " report";
    for (const auto& [name, value] : report.scope) out << " \xC2\xB7 " << name << " " << printable(value);
    out << "\n\n";
    if (report.sections.empty()) {
        out << printable(report.empty_message) << "\n";
        return;
    }
    for (const ReportSection& section : report.sections) {
        if (!section.title.empty()) out << printable(section.title) << "\n\n";
        for (const ReportTable& table : section.tables) {
            if (table.summary) continue;
            if (!table.title.empty()) out << printable(table.title) << ":\n\n";
            std::vector<std::string> headers;
            std::vector<size_t> minimum_widths;
            for (const ReportColumn& column : table.columns) {
                if (!column.shown) continue;
                headers.push_back(column.title);
                minimum_widths.push_back(column.min_width);
            }
            TextTable text(std::move(headers));
            for (size_t c = 0; c < minimum_widths.size(); ++c) text.keep_at_least(c, minimum_widths[c]);
            size_t shown = 0;
            table.for_each_row([&](const ReportRow& row) {
                if (shown == table.row_limit) return false;
                std::vector<std::string> cells;
                for (size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
                    if (table.columns[c].shown) cells.push_back(row[c].text);
                }
                text.add(std::move(cells));
                ++shown;
                return true;
            });
            if (shown == 0) {
                out << printable(table.empty_text) << "\n\n";
                continue;
            }
            out << text.render(width);
            const std::string more = shown_of_total(table, shown);
            if (!more.empty()) out << more << "\n";
            out << "\n";
        }
    }
}

}  // namespace vigil
