#pragma once

#include "report/report_model.hpp"
#include "store/event_database.hpp"

#include <cstdint>

namespace vigil {

// What `vigil report activity|logons` asks of the event store.
struct EventReportRequest {
    EventQuery query;  // the time range and narrowing; the report sets the connector
    int64_t now_ms = 0;
    size_t row_limit = SIZE_MAX;  // rows of the events table shown; summaries and charts count every event
};

// The directory audit: When, Who, Action, Object type, What, Where, Workstation, Details (old -> new), with charts of
// events over time, by action and by actor. The rows are read from `store` while the report renders: it must
// outlive the report.
Report activity_report(const EventDatabase& store, const EventReportRequest& request);

// Sign-ins, successful and failed, with user, IP, location, application, client, device and failure reason; the
// summaries (failed logons by user, by IP, by country; countries a user was first seen in) and charts (failed logons
// over time, by hour of day, by user) in the json and html forms.
Report logons_report(const EventDatabase& store, const EventReportRequest& request);

}  // namespace vigil
