#include "report/report_parts.hpp"
#include "report/state_report.hpp"
#include "report/state_sources.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <map>

namespace vigil {

using namespace report_parts;

namespace {

int level_rank(std::string_view level) {
    return level == "high" ? 0 : level == "medium" ? 1 : level == "low" ? 2 : 3;
}

std::string_view text_of(simdjson::dom::element element, std::string_view key) {
    std::string_view value;
    return element[key].get_string().get(value) == simdjson::SUCCESS ? value : std::string_view{};
}

// A member as JSON text for a json cell ("null" when absent).
std::string json_of(simdjson::dom::element element, std::string_view key) {
    simdjson::dom::element value;
    return element[key].get(value) == simdjson::SUCCESS ? simdjson::minify(value) : std::string("null");
}

// A member as a cell: its text (a string unquoted, null or absent as nothing) and its JSON.
ReportCell member_cell(simdjson::dom::element element, std::string_view key) {
    std::string json = json_of(element, key);
    std::string_view text;
    if (element[key].get_string().get(text) == simdjson::SUCCESS) return ReportCell{std::string(text), json, {}};
    return ReportCell{json == "null" ? std::string() : json, std::move(json), {}};
}

// "12.50% (5 of 40)" or "7"; "unknown" without a value.
std::string value_text(simdjson::dom::element risk) {
    double value = 0;
    if (risk["value"].get_double().get(value) != simdjson::SUCCESS) return "unknown";
    int64_t count = 0;
    int64_t of = 0;
    char buffer[96];
    if (text_of(risk, "unit") == "percent" && risk["count"].get_int64().get(count) == simdjson::SUCCESS &&
        risk["of"].get_int64().get(of) == simdjson::SUCCESS) {
        std::snprintf(buffer, sizeof(buffer), "%.2f%% (%lld of %lld)", value, static_cast<long long>(count),
                      static_cast<long long>(of));
    } else {
        std::snprintf(buffer, sizeof(buffer), "%.0f", value);
    }
    return buffer;
}

// The objects behind a metric, or why it has no value.
std::string objects_text(simdjson::dom::element risk) {
    std::string objects;
    simdjson::dom::array list;
    if (risk["objects"].get_array().get(list) != simdjson::SUCCESS) return std::string(text_of(risk, "reason"));
    for (simdjson::dom::element item : list) {
        std::string_view name;
        if (item.get_string().get(name) != simdjson::SUCCESS) continue;
        if (!objects.empty()) objects += ", ";
        objects += name;
    }
    int64_t total = 0;
    if (risk["objects_total"].get_int64().get(total) == simdjson::SUCCESS && static_cast<size_t>(total) > list.size()) {
        objects += " (and " + std::to_string(total - static_cast<int64_t>(list.size())) + " more)";
    }
    return objects;
}

}  // namespace

Report risks_report(const StateReportOptions& options) {
    Report report = state_report_frame(options, "risks", "Risks", "risks");
    report.csv_table = "risks";
    for (const StateReportSource& source : state_sources_at(options)) {
        // The value each metric had at the snapshot before, for its trend.
        std::map<std::string, std::string> previous;
        if (source.previous_ms) {
            source.store->read_at(*source.previous_ms, "risk", [&](const StateObjectView& object) {
                previous[std::string(object.id)] = std::string(object.json);
                return true;
            });
        }
        ReportSection& section = report.sections.emplace_back(state_section(source));
        ReportTable& risks = section.tables.emplace_back();
        risks.key = "risks";
        risks.columns = {{"id", "Id", false},
                         {"level", "Level", true, 7},
                         {"title", "Metric"},
                         {"value", "Value", true, 8},
                         {"trend", "Trend"},
                         {"previous_value", "Previous value", false},
                         {"unit", "Unit", false},
                         {"count", "Count", false},
                         {"of", "Of", false},
                         {"objects", "Objects"},
                         {"objects_total", "Objects in all", false},
                         {"reason", "Reason", false}};
        risks.empty_text = "(no risks computed)";
        std::vector<std::pair<int, ReportRow>> rows;
        std::map<std::string, size_t> by_level;
        simdjson::dom::parser parser;
        simdjson::dom::parser old_parser;
        source.store->read_at(source.snapshot_ms, "risk", [&](const StateObjectView& object) {
            simdjson::dom::element risk;
            if (parser.parse(object.json.data(), object.json.size(), true).get(risk) != simdjson::SUCCESS) return true;
            double value = 0;
            const bool known = risk["value"].get_double().get(value) == simdjson::SUCCESS;
            std::string trend = "new";
            std::string previous_value = "null";
            if (const auto it = previous.find(std::string(object.id)); it != previous.end()) {
                simdjson::dom::element old_risk;
                double old_value = 0;
                if (known && old_parser.parse(it->second).get(old_risk) == simdjson::SUCCESS &&
                    old_risk["value"].get_double().get(old_value) == simdjson::SUCCESS) {
                    trend = value > old_value ? "up" : value < old_value ? "down" : "same";
                    previous_value = json_of(old_risk, "value");
                } else {
                    trend = "n/a";
                }
            }
            const std::string level(text_of(risk, "level"));
            const std::string_view title = text_of(risk, "title");
            ++by_level[level];
            ReportRow row(12);
            row[0] = text_cell(object.id);
            row[1] = ReportCell{level, {}, level};
            row[2] = text_cell(title.empty() ? object.name : title);
            row[3] = ReportCell{value_text(risk), json_of(risk, "value"), {}};
            row[4] = text_cell(trend);
            row[5] = ReportCell{previous_value == "null" ? "" : previous_value, previous_value, {}};
            row[6] = member_cell(risk, "unit");
            row[7] = member_cell(risk, "count");
            row[8] = member_cell(risk, "of");
            row[9] = ReportCell{objects_text(risk), json_of(risk, "objects"), {}};
            row[10] = member_cell(risk, "objects_total");
            row[11] = member_cell(risk, "reason");
            rows.emplace_back(level_rank(level), std::move(row));
            return true;
        });
        std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [rank, row] : rows) risks.rows.push_back(std::move(row));
        ReportChart levels{"metrics_by_level", "Metrics by level", ReportChart::Kind::ranking, "metrics", {}};
        for (const char* level : {"high", "medium", "low", "unknown"}) {
            if (const auto it = by_level.find(level); it != by_level.end()) {
                levels.bars.push_back({level, static_cast<double>(it->second), level});
            }
        }
        section.charts.push_back(std::move(levels));
    }
    return report;
}

}  // namespace vigil
