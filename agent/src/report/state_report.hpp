#pragma once

#include "report/report_model.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace vigil {

// What `vigil report state|risks` reads (contract section 2).
struct StateReportOptions {
    std::string data_dir;
    std::string organization;         // empty: every organization
    std::string source_group;         // empty: every source group
    std::string tenant_id;            // empty: every tenant
    int64_t at_ms = 0;                // the state at the last snapshot taken at or before this
    std::optional<int64_t> since_ms;  // state: also what changed after this, up to at
    int64_t now_ms = 0;               // when the report is made
    size_t row_limit = SIZE_MAX;      // objects shown per source
};

// The directory as each source's last snapshot at `at` saw it (users, groups and members, roles and members,
// applications and credentials) and, with since, what changed in between. The report reads the state stores while
// it renders and keeps them open itself.
Report state_report(const StateReportOptions& options);
// Every risk metric of each source at `at`: level, value, the objects behind it and the trend against the snapshot
// before; a chart of the metrics by level.
Report risks_report(const StateReportOptions& options);

}  // namespace vigil
