#pragma once

#include "report/report_model.hpp"
#include "report/state_report.hpp"
#include "store/state_store.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

// What the state and risks reports share: which sources' stores they read and how a source heads its section.
namespace vigil {

// A source's state store, positioned at its snapshot for the report's `at`.
struct StateReportSource {
    std::shared_ptr<StateStore> store;  // shared with the report's row producers, which read while rendering
    int64_t snapshot_ms = 0;
    std::optional<int64_t> previous_ms;  // the snapshot before it, for trends
};

// Every source the options select that has a snapshot at or before `at`, in the stores' order.
std::vector<StateReportSource> state_sources_at(const StateReportOptions& options);

// A section headed by the source (organization / source group / tenant (domain), snapshot), with those as facts.
ReportSection state_section(const StateReportSource& source);

// A report of one section per source, without sections yet: its kind, title, time, scope (at, since and the
// narrowing asked for), and what it says when no source has a snapshot ("No <what> at or before ...: enable the
// entra_state connector and run `vigil run --once`.").
Report state_report_frame(const StateReportOptions& options, const char* kind, const char* title, const char* what);

}  // namespace vigil
