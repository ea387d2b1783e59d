#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace vigil {

// What a report says, apart from how it is printed: every report (activity, logons, state, risks) builds one of
// these and each format (table, csv, json, html) renders it. Reports build; renderers only read.

// One value. `text` is what a person reads (table, csv, html); `json` is the value in the json format as JSON text
// (a number, an object, null), empty meaning "the text, as a JSON string".
struct ReportCell {
    std::string text;
    std::string json;
    // The level a cell carries (risk levels, an event's status): the html format colours it.
    std::string level;
};
using ReportRow = std::vector<ReportCell>;

struct ReportColumn {
    std::string key;       // the json format's field name: stable, snake_case
    std::string title;     // the header people read
    bool shown = true;     // false: in the json format only (an id, a machine-readable twin of a shown column)
    size_t min_width = 0;  // table format: never cut below this (time stamps)
};

// A table of rows, either held (summaries, state objects) or produced on demand by a query (events, which can be
// millions: renderers stream them, and only the table format holds a page of them to align its columns).
struct ReportTable {
    std::string key;    // json member name: "events", "failed_by_user"
    std::string title;  // shown above the table in html (and the table format, for a summary)
    std::vector<ReportColumn> columns;
    std::vector<ReportRow> rows;
    // When set, produces the rows instead of `rows`: calls emit for each until it returns false.
    std::function<void(const std::function<bool(const ReportRow&)>& emit)> produce;
    std::string empty_text;        // said instead of an empty table: "No failed logons in this period."
    bool summary = false;          // summaries are for json and html; table and csv print the main tables
    size_t row_limit = SIZE_MAX;   // table and html stop here and say how many more there were
    size_t total_rows = SIZE_MAX;  // when known: how many rows there are in all (for "showing 1000 of 53,210")

    void for_each_row(const std::function<bool(const ReportRow&)>& emit) const;
};

// A chart for the html format (and its data for json). Bars are drawn in order: a timeline's buckets oldest
// first, a ranking's values largest first.
struct ReportChart {
    enum class Kind { timeline, ranking };
    struct Bar {
        std::string label;
        double value = 0;
        std::string level;  // colours the bar: high, medium, low, failure, success; empty: the default colour
    };
    std::string key;  // json member name
    std::string title;
    Kind kind = Kind::ranking;
    std::string unit;  // "events", "failed logons"
    std::vector<Bar> bars;
};

// One part of a report: one source (tenant) for state and risks, or the whole selection for activity and logons.
struct ReportSection {
    std::string title;                                       // "Contoso / Cloud / 1111… (contoso.com), snapshot …"
    std::vector<std::pair<std::string, std::string>> facts;  // json members: organization, tenant_id, snapshot
    std::vector<ReportChart> charts;
    std::vector<ReportTable> tables;
};

struct Report {
    std::string kind;   // activity | logons | state | risks: the json's "report"
    std::string title;  // "Activity", "Logons"
    int64_t generated_ms = 0;
    // What was asked for, in words and for json: {"since", "2026-11-01T00:00:00Z"}, {"organization", "Contoso"}.
    std::vector<std::pair<std::string, std::string>> scope;
    std::vector<ReportSection> sections;
    std::string empty_message;  // when there is no section at all: what to do about it
    // json: the member holding one object per section ("sources"); empty: the report has one section whose charts
    // and tables are members of the report itself.
    std::string sections_key;
    std::string csv_table;  // csv: the key of the table it prints (csv holds one table)
};

}  // namespace vigil
