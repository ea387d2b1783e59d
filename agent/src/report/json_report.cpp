#include "report/report_renderer.hpp"
#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace vigil {

namespace {

// Writes JSON to a stream through a buffer flushed now and then: an events table of millions of rows is never held
// whole. Knows where commas go.
class JsonStream {
public:
    explicit JsonStream(std::ostream& out) : out_(out) {}
    ~JsonStream() { flush(); }

    void open(char bracket) {
        comma();
        buffer_ += bracket;
        first_.push_back(true);
    }
    void close(char bracket) {
        buffer_ += bracket;
        first_.pop_back();
        if (buffer_.size() > (1u << 20)) flush();
    }
    void key(std::string_view name) {
        comma();
        append_json_string(buffer_, name);
        buffer_ += ':';
        first_.back() = true;  // the value that follows takes no comma
    }
    void text(std::string_view value) {
        comma();
        append_json_string(buffer_, value);
    }
    void raw(std::string_view json) {
        comma();
        buffer_ += json;
    }
    void number(double value) {
        char digits[32];
        const int length = std::floor(value) == value && std::fabs(value) < 1e15
                               ? std::snprintf(digits, sizeof(digits), "%.0f", value)
                               : std::snprintf(digits, sizeof(digits), "%.6g", value);
        raw(std::string_view(digits, static_cast<size_t>(length)));
    }
    void flush() {
        out_ << buffer_;
        buffer_.clear();
    }

private:
    void comma() {
        if (first_.empty()) return;
        if (!first_.back()) buffer_ += ',';
        first_.back() = false;
    }

    std::ostream& out_;
    std::string buffer_;
    std::vector<bool> first_;  // per open object or array: nothing written in it yet
};

void section_members(JsonStream& json, const ReportSection& section) {
    for (const auto& [key, value] : section.facts) {
        json.key(key);
        json.text(value);
    }
    if (!section.charts.empty()) {
        json.key("charts");
        json.open('{');
        for (const ReportChart& chart : section.charts) {
            json.key(chart.key);
            json.open('{');
            json.key("title");
            json.text(chart.title);
            json.key("unit");
            json.text(chart.unit);
            json.key("bars");
            json.open('[');
            for (const ReportChart::Bar& bar : chart.bars) {
                json.open('{');
                json.key("label");
                json.text(bar.label);
                json.key("value");
                json.number(bar.value);
                json.close('}');
            }
            json.close(']');
            json.close('}');
        }
        json.close('}');
    }
    bool any_total = false;
    for (const ReportTable& table : section.tables) {
        json.key(table.key);
        json.open('[');
        size_t shown = 0;
        table.for_each_row([&](ReportRow& row) {
            if (shown++ == table.row_limit) return false;
            json.open('{');
            for (size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
                json.key(table.columns[c].key);
                if (row[c].json.empty()) {
                    json.text(row[c].text);
                } else {
                    json.raw(row[c].json);
                }
            }
            json.close('}');
            return true;
        });
        json.close(']');
        any_total = any_total || table.total_rows != SIZE_MAX;
    }
    if (any_total) {
        json.key("totals");
        json.open('{');
        for (const ReportTable& table : section.tables) {
            if (table.total_rows == SIZE_MAX) continue;
            json.key(table.key);
            json.number(static_cast<double>(table.total_rows));
        }
        json.close('}');
    }
}

}  // namespace

void render_json_report(const Report& report, std::ostream& out) {
    JsonStream json(out);
    json.open('{');
    json.key("report");
    json.text(report.kind);
    json.key("title");
    json.text(report.title);
    json.key("generated");
    std::string generated;
    append_rfc3339_ms(generated, report.generated_ms);
    json.text(generated);
    for (const auto& [key, value] : report.scope) {
        json.key(key);
        json.text(value);
    }
    if (report.sections_key.empty()) {
        if (!report.sections.empty()) section_members(json, report.sections.front());
    } else {
        json.key(report.sections_key);
        json.open('[');
        for (const ReportSection& section : report.sections) {
            json.open('{');
            section_members(json, section);
            json.close('}');
        }
        json.close(']');
    }
    if (report.sections.empty()) {
        json.key("message");
        json.text(report.empty_message);
    }
    json.close('}');
    json.raw("\n");
}

}  // namespace vigil
