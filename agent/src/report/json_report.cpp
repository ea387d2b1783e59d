#include "report/report_renderer.hpp"
#include "util/json_writer.hpp"
#include "util/rfc3339.hpp"

#include <string>

namespace vigil {

namespace {

// A section's facts, charts and tables as members of the object being written. Rows go to the stream a megabyte
// at a time: an events table of millions of rows is never held whole.
void section_members(JsonWriter& json, std::string& buffer, std::ostream& stream, const ReportSection& section) {
    for (const auto& [key, value] : section.facts) json.text(key, value);
    if (!section.charts.empty()) {
        json.begin_object("charts");
        for (const ReportChart& chart : section.charts) {
            json.begin_object(chart.key);
            json.text("title", chart.title);
            json.text("unit", chart.unit);
            json.begin_array("bars");
            for (const ReportChart::Bar& bar : chart.bars) {
                json.begin_item();
                json.text("label", bar.label);
                json.number("value", bar.value);
                json.end_item();
            }
            json.end_array();
            json.end_object();
        }
        json.end_object();
    }
    bool any_total = false;
    for (const ReportTable& table : section.tables) {
        json.begin_array(table.key);
        size_t shown = 0;
        table.for_each_row([&](const ReportRow& row) {
            if (shown++ == table.row_limit) return false;
            json.begin_item();
            for (size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
                if (row[c].json.empty()) {
                    json.text(table.columns[c].key, row[c].text);
                } else {
                    json.json(table.columns[c].key, row[c].json);
                }
            }
            json.end_item();
            if (buffer.size() > (1u << 20)) {
                stream << buffer;
                buffer.clear();
            }
            return true;
        });
        json.end_array();
        any_total = any_total || table.total_rows != SIZE_MAX;
    }
    if (any_total) {
        json.begin_object("totals");
        for (const ReportTable& table : section.tables) {
            if (table.total_rows != SIZE_MAX) json.unsigned_integer(table.key, table.total_rows);
        }
        json.end_object();
    }
}

}  // namespace

void render_json_report(const Report& report, std::ostream& out) {
    std::string buffer;
    JsonWriter json(buffer);
    json.begin();
    json.text("report", report.kind);
    json.text("title", report.title);
    std::string generated;
    append_rfc3339_ms(generated, report.generated_ms);
    json.text("generated", generated);
    for (const auto& [key, value] : report.scope) json.text(key, value);
    if (report.sections_key.empty()) {
        if (!report.sections.empty()) section_members(json, buffer, out, report.sections.front());
    } else {
        json.begin_array(report.sections_key);
        for (const ReportSection& section : report.sections) {
            json.begin_item();
            section_members(json, buffer, out, section);
            json.end_item();
        }
        json.end_array();
    }
    if (report.sections.empty()) json.text("message", report.empty_message);
    json.end();
    out << buffer << '\n';
}

}  // namespace vigil
