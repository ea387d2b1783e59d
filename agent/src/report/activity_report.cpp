#include "report/event_reports.hpp"
#include "report/report_parts.hpp"

namespace vigil {

using namespace report_parts;

Report activity_report(const EventDatabase& store, const EventReportRequest& request) {
    EventQuery query = request.query;
    query.connector = "entra_activity";
    const int64_t until_ms = std::min(query.until_ms, request.now_ms);

    // One pass for the charts and the count, over every matching event (the table shows only the first rows).
    Timeline over_time(query.since_ms, until_ms);
    Tally by_action;
    Tally by_who;
    Tally failures;
    size_t total = 0;
    store.query(query, [&](const StoredEventView& event) {
        over_time.add(event.time_ms);
        by_action.add(event.action);
        by_who.add(event.who);
        if (event.status == "failure") failures.add(event.action);
        ++total;
        return true;
    });

    Report report;
    report.kind = "activity";
    report.title = "Activity";
    report.generated_ms = request.now_ms;
    report.scope = event_scope(request.query);
    report.csv_table = "events";
    ReportSection& section = report.sections.emplace_back();
    section.charts.push_back(over_time.chart("events_over_time", "Changes over time", "changes"));
    section.charts.push_back(ranking_chart("by_action", "Changes by action", "changes", by_action, 10));
    section.charts.push_back(ranking_chart("by_who", "Most active accounts", "changes", by_who, 10));
    if (!failures.empty()) {
        section.charts.push_back(
            ranking_chart("failed_by_action", "Failed changes by action", "failed changes", failures, 10, "failure"));
    }

    ReportTable& events = section.tables.emplace_back();
    events.key = "events";
    events.columns = {{"time", "When (UTC)", true, 19},
                      {"who", "Who"},
                      {"action", "Action"},
                      {"object_type", "Object type"},
                      {"what", "What"},
                      {"where", "Where"},
                      {"workstation", "Workstation"},
                      {"details", "Details"},
                      {"status", "Status", false},
                      {"organization", "Organization", false},
                      {"source_group", "Source group", false},
                      {"tenant_id", "Tenant", false},
                      {"id", "Id", false}};
    events.empty_text = "No activity matches in this period.";
    events.row_limit = request.row_limit;
    events.total_rows = total;
    events.produce = [&store, query](const std::function<bool(const ReportRow&)>& emit) {
        ReportRow row(13);
        store.query(query, [&](const StoredEventView& event) {
            row[0] = time_cell(event.time_ms);
            row[1] = text_cell(event.who);
            row[2] = text_cell(event.action);
            row[2].level = event.status == "failure" ? "failure" : "";
            row[3] = text_cell(event.object_type);
            row[4] = text_cell(event.what);
            row[5] = text_cell(event.where);
            row[6] = text_cell(event.workstation);
            row[7] = ReportCell{details_text(event.details_json),
                                event.details_json.empty() ? "null" : std::string(event.details_json),
                                {}};
            row[8] = text_cell(event.status);
            row[9] = text_cell(event.organization);
            row[10] = text_cell(event.source_group);
            row[11] = text_cell(event.tenant_id);
            row[12] = text_cell(event.id);
            return emit(row);
        });
    };
    return report;
}

}  // namespace vigil
