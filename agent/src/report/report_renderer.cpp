#include "report/report_renderer.hpp"

#include <string>

namespace vigil {

void ReportTable::for_each_row(const std::function<bool(const ReportRow&)>& emit) const {
    if (produce) return produce(emit);
    for (const ReportRow& row : rows) {
        if (!emit(row)) return;
    }
}

std::optional<ReportFormat> parse_report_format(std::string_view name) {
    if (name == "table") return ReportFormat::table;
    if (name == "csv") return ReportFormat::csv;
    if (name == "json") return ReportFormat::json;
    if (name == "html") return ReportFormat::html;
    return std::nullopt;
}

void render_report(const Report& report, ReportFormat format, size_t width, std::ostream& out) {
    switch (format) {
        case ReportFormat::table:
            return render_text_report(report, width, out);
        case ReportFormat::csv:
            return render_csv_report(report, out);
        case ReportFormat::json:
            return render_json_report(report, out);
        case ReportFormat::html:
            return render_html_report(report, out);
    }
}

std::string thousands(size_t value) {
    std::string digits = std::to_string(value);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<size_t>(at), ",");
    return digits;
}

std::string shown_of_total(const ReportTable& table, size_t shown) {
    if (table.total_rows == SIZE_MAX || table.total_rows <= shown) return {};
    return "Showing the first " + thousands(shown) + " of " + thousands(table.total_rows) +
           " rows; --limit N shows more (0: all).";
}

}  // namespace vigil
