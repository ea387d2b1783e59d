#include "report/html_text.hpp"
#include "report/report_renderer.hpp"
#include "report/svg_chart.hpp"
#include "util/rfc3339.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <string>

namespace vigil {

namespace {

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1c2733;margin:24px 32px;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}.scope{color:#57606a;margin:0 0 8px}.empty{color:#57606a;font-style:italic}
table{border-collapse:collapse;margin:6px 0;max-width:100%}th,td{border:1px solid #d0d7de;padding:3px 8px;
text-align:left;vertical-align:top;white-space:pre-wrap;overflow-wrap:break-word}td.nw{white-space:nowrap}th{background:#f3f5f7;cursor:pointer}
tbody tr:nth-child(even){background:#fafbfc}.count,.more{color:#57606a;margin:2px 0 12px}
.level-high,.level-failure{color:#c62828;font-weight:600}.level-medium{color:#ef6c00;font-weight:600}
.level-low{color:#9a6700}.level-success{color:#2e7d32}.charts{display:flex;flex-wrap:wrap;gap:4px 40px}
figure{margin:8px 0 16px}figcaption{font-weight:600;margin:4px 0}
svg.chart text{font:11px system-ui,sans-serif;fill:#1c2733}svg.chart line.grid{stroke:#d0d7de;stroke-width:1}
)";

// Sorts a table by a click on a header (numbers as numbers), then marks the page ready: a test that finds
// data-ready="yes" knows the script ran to its end without an error.
constexpr const char* kScript = R"(
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (header, column) {
    header.addEventListener("click", function () {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var down = header.getAttribute("data-order") !== "down";
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent, y = b.cells[column].textContent;
        var p = parseFloat(x), q = parseFloat(y);
        var order = !isNaN(p) && !isNaN(q) && String(p) === x && String(q) === y ? p - q : x.localeCompare(y);
        return down ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      header.setAttribute("data-order", down ? "down" : "up");
    });
  });
});
document.body.setAttribute("data-ready", "yes");
)";

// The CSP source for the inline script: its SHA-256, base64. Nothing else may run, and default-src 'none' means
// the page can fetch nothing: the report works offline and leaks nothing when opened.
std::string script_hash() {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    const std::string_view script(kScript);
    SHA256(reinterpret_cast<const unsigned char*>(script.data()), script.size(), digest);
    unsigned char encoded[64];
    const int length = EVP_EncodeBlock(encoded, digest, SHA256_DIGEST_LENGTH);
    return "sha256-" + std::string(reinterpret_cast<char*>(encoded), static_cast<size_t>(length));
}

void text(std::string& out, std::string_view value) {
    append_html(out, value);
}

void write_table(std::string& out, const ReportTable& table, std::ostream& stream) {
    if (!table.title.empty()) {
        out += "<h3>";
        text(out, table.title);
        out += "</h3>\n";
    }
    const size_t start = out.size();
    out += "<table class=\"sortable\" data-key=\"";
    text(out, table.key);
    out += "\"><thead><tr>";
    for (const ReportColumn& column : table.columns) {
        if (!column.shown) continue;
        out += "<th>";
        text(out, column.title);
        out += "</th>";
    }
    out += "</tr></thead>\n<tbody>\n";
    size_t shown = 0;
    table.for_each_row([&](const ReportRow& row) {
        if (shown == table.row_limit) return false;
        ++shown;
        out += "<tr>";
        for (size_t c = 0; c < table.columns.size() && c < row.size(); ++c) {
            if (!table.columns[c].shown) continue;
            // Classes: a level's colour, and nw (no wrap) for columns a table keeps whole, such as times.
            const bool whole = table.columns[c].min_width > 0;
            if (row[c].level.empty()) {
                out += whole ? "<td class=\"nw\">" : "<td>";
            } else {
                out += whole ? "<td class=\"nw level-" : "<td class=\"level-";
                text(out, row[c].level);
                out += "\">";
            }
            text(out, row[c].text);
            out += "</td>";
        }
        out += "</tr>\n";
        if (out.size() > (1u << 20)) {
            stream << out;
            out.clear();
        }
        return true;
    });
    if (shown == 0 && out.size() >= start) {  // still buffered: take the empty table back for a sentence
        out.resize(start);
        out += "<p class=\"empty\">";
        text(out, table.empty_text);
        out += "</p>\n";
        return;
    }
    out += "</tbody></table>\n<p class=\"count\">";
    out += thousands(shown) + (shown == 1 ? " row" : " rows");
    const std::string more = shown_of_total(table, shown);
    if (!more.empty()) {
        out += ". ";
        text(out, more);
    }
    out += "</p>\n";
}

}  // namespace

void render_html_report(const Report& report, std::ostream& stream) {
    std::string out;
    out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
    out +=
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "script-src '" +
        script_hash() + "'\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
    text(out, "Vigil \xC2\xB7 " + report.title + " report");
    out += "</title>\n<style>";
    out += kStyle;
    out += "</style></head>\n<body data-report=\"";
    text(out, report.kind);
    out += "\">\n<h1>";
    text(out, report.title + " report");
    out += "</h1>\n<p class=\"scope\">";
    std::string generated;
    append_rfc3339_ms(generated, report.generated_ms);
    for (const auto& [key, value] : report.scope) {
        text(out, key + " " + value + " \xC2\xB7 ");
    }
    text(out, "generated " + generated);
    out += "</p>\n";
    if (report.sections.empty()) {
        out += "<p class=\"empty\">";
        text(out, report.empty_message);
        out += "</p>\n";
    }
    for (const ReportSection& section : report.sections) {
        out += "<section>\n";
        if (!section.title.empty()) {
            out += "<h2>";
            text(out, section.title);
            out += "</h2>\n";
        }
        if (!section.charts.empty()) out += "<div class=\"charts\">\n";
        for (const ReportChart& chart : section.charts) {
            out += "<figure data-key=\"";
            text(out, chart.key);
            out += "\"><figcaption>";
            text(out, chart.title);
            out += "</figcaption>\n";
            if (chart.bars.empty()) {
                out += "<p class=\"empty\">Nothing to chart.</p>";
            } else {
                out += svg_chart(chart);
            }
            out += "</figure>\n";
        }
        if (!section.charts.empty()) out += "</div>\n";
        // Summaries first: a person reads them before the long list of events below.
        for (const ReportTable& table : section.tables) {
            if (table.summary) write_table(out, table, stream);
        }
        for (const ReportTable& table : section.tables) {
            if (!table.summary) write_table(out, table, stream);
        }
        out += "</section>\n";
    }
    out += "<script>";
    out += kScript;
    out += "</script>\n</body></html>\n";
    stream << out;
}

}  // namespace vigil
