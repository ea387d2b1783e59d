#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace vigil {

// What `vigil report state|risks` reads and how it prints it (contract section 2).
struct StateReportOptions {
    std::string data_dir;
    std::string organization;         // empty: every organization
    int64_t at_ms = 0;                // the state at the last snapshot taken at or before this
    std::optional<int64_t> since_ms;  // state: also what changed after this, up to at
    std::string format = "table";     // table | json
    size_t width = 120;               // table: the terminal's width
};

// The directory as each source's last snapshot at `at` saw it (and, with since, what changed in between).
void report_state(const StateReportOptions& options, std::ostream& out);
// Every risk metric of each source at `at`, with its level, value, the objects behind it and the trend against
// the snapshot before.
void report_risks(const StateReportOptions& options, std::ostream& out);

}  // namespace vigil
