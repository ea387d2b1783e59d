#include "report/state_report.hpp"

#include "report/report_parts.hpp"
#include "report/state_sources.hpp"
#include "store/state_store.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <vector>

namespace vigil {

using namespace report_parts;

namespace {

// "accountEnabled=false, userType=Member": an object's state for one cell, nulls left out.
std::string summary(std::string_view json) {
    return details_text(json);
}

// One JSON value for a cell: a string as its text, null as nothing, anything else as compact JSON.
std::string cell_value(std::string_view json) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element value;
    if (parser.parse(json.data(), json.size(), true).get(value) != simdjson::SUCCESS) return std::string(json);
    if (value.is_null()) return {};
    if (value.is_object()) return details_text(json);  // an added or removed object: its state, as in the list
    std::string_view text;
    return value.get_string().get(text) == simdjson::SUCCESS ? std::string(text) : simdjson::minify(value);
}

const char* action_name(StateChange::Action action) {
    switch (action) {
        case StateChange::Action::added:
            return "Added";
        case StateChange::Action::removed:
            return "Removed";
        default:
            return "Modified";
    }
}

ReportTable objects_table(const StateReportSource& source, size_t row_limit, Tally& kinds) {
    ReportTable objects;
    objects.key = "objects";
    objects.columns = {{"kind", "Kind"},
                       {"id", "Id", false},
                       {"object_type", "Object type", false},
                       {"name", "Name"},
                       {"state", "State"}};
    objects.empty_text = "(no objects)";
    objects.row_limit = row_limit;
    source.store->read_at(source.snapshot_ms, "", [&](const StateObjectView& object) {
        if (object.kind != "risk") kinds.add(object.kind);
        return true;
    });
    size_t total = 0;
    for (const auto& [kind, count] : kinds.ranked(SIZE_MAX)) total += count;
    objects.total_rows = total;
    objects.produce = [store = source.store, snapshot_ms = source.snapshot_ms](const auto& emit) {
        ReportRow row(5);
        store->read_at(snapshot_ms, "", [&](const StateObjectView& object) {
            if (object.kind == "risk") return true;  // the risks report has them
            row[0] = text_cell(object.kind);
            row[1] = text_cell(object.id);
            row[2] = text_cell(object.object_type);
            row[3] = text_cell(object.name);
            row[4] = ReportCell{summary(object.json), std::string(object.json), {}};
            return emit(row);
        });
    };
    return objects;
}

ReportTable changes_table(const StateReportSource& source, int64_t since_ms) {
    ReportTable changed;
    changed.key = "changes";
    changed.title = "Changes after " + when_text(since_ms) + " UTC";
    changed.columns = {{"snapshot", "Snapshot (UTC)", true, 19},
                       {"action", "Action"},
                       {"kind", "Kind", false},
                       {"object_type", "Type"},
                       {"what", "What"},
                       {"property", "Property"},
                       {"old", "Old"},
                       {"new", "New"}};
    changed.empty_text = "(no changes)";
    for (const int64_t taken : source.store->snapshots()) {
        if (taken <= since_ms || taken > source.snapshot_ms) continue;
        source.store->changes(taken, [&](const StateChange& c) {
            if (c.kind == "risk") return;  // the risks report shows how they moved
            ReportRow row(8);
            row[0] = time_cell(taken);
            row[1] = text_cell(action_name(c.action));
            row[2] = text_cell(c.kind);
            row[3] = text_cell(c.object_type);
            row[4] = text_cell(c.name);
            row[5] = ReportCell{c.property, c.property.empty() ? "null" : "", {}};
            row[6] = ReportCell{c.action == StateChange::Action::added ? "" : cell_value(c.old_json),
                                c.old_json.empty() ? "null" : c.old_json,
                                {}};
            row[7] = ReportCell{c.action == StateChange::Action::removed ? "" : cell_value(c.new_json),
                                c.new_json.empty() ? "null" : c.new_json,
                                {}};
            changed.rows.push_back(std::move(row));
        });
    }
    return changed;
}

}  // namespace

Report state_report(const StateReportOptions& options) {
    Report report = state_report_frame(options, "state", "State in time", "directory snapshot");
    report.csv_table = options.since_ms ? "changes" : "objects";
    for (const StateReportSource& source : state_sources_at(options)) {
        ReportSection& section = report.sections.emplace_back(state_section(source));
        Tally kinds;
        ReportTable objects = objects_table(source, options.row_limit, kinds);
        section.charts.push_back(ranking_chart("objects_by_kind", "Objects by kind", "objects", kinds, SIZE_MAX));
        section.tables.push_back(std::move(objects));
        if (options.since_ms) section.tables.push_back(changes_table(source, *options.since_ms));
    }
    return report;
}

}  // namespace vigil
