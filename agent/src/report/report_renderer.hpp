#pragma once

#include "report/report_model.hpp"

#include <cstddef>
#include <optional>
#include <ostream>
#include <string_view>

namespace vigil {

enum class ReportFormat { table, csv, json, html };

// "table", "csv", "json", "html"; nullopt for anything else.
std::optional<ReportFormat> parse_report_format(std::string_view name);

// Prints the report in one format. Each renderer is in its own file; all of them escape every value for where it
// goes (a terminal, a CSV cell, a JSON string, HTML text or attribute).
void render_report(const Report& report, ReportFormat format, size_t width, std::ostream& out);

// Aligned columns fitted to `width`, control characters made visible; main tables only.
void render_text_report(const Report& report, size_t width, std::ostream& out);
// RFC 4180 (CRLF, quoted when needed), formula prefixes neutralised; the report's csv_table of each section, the
// section's facts as leading columns, one header of field names (the json's), every column (a data export).
void render_csv_report(const Report& report, std::ostream& out);
// One JSON object with stable field names; typed values (numbers, objects) where the cell has them.
void render_json_report(const Report& report, std::ostream& out);
// One self-contained HTML file: inline CSS and SVG, no network (a Content-Security-Policy says so), every value
// escaped; a small inline script sorts tables by a click on a header.
void render_html_report(const Report& report, std::ostream& out);

// Shared wording: "Showing the first 1,000 of 53,210 events." for a table cut at its row_limit; empty if not cut.
std::string shown_of_total(const ReportTable& table, size_t shown);
// 53210 -> "53,210".
std::string thousands(size_t value);

}  // namespace vigil
