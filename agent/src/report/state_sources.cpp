#include "report/state_sources.hpp"

#include "report/report_parts.hpp"

namespace vigil {

using namespace report_parts;

std::vector<StateReportSource> state_sources_at(const StateReportOptions& options) {
    std::vector<StateReportSource> sources;
    for (const std::string& path : StateStore::all_paths(options.data_dir)) {
        auto store = std::make_shared<StateStore>(path, StateSource{}, true);
        const StateSource& source = store->source();
        if ((!options.organization.empty() && source.organization != options.organization) ||
            (!options.source_group.empty() && source.source_group != options.source_group) ||
            (!options.tenant_id.empty() && source.tenant_id != options.tenant_id)) {
            continue;
        }
        const auto snapshot = store->snapshot_at(options.at_ms);
        if (!snapshot) continue;
        StateReportSource found{std::move(store), *snapshot, std::nullopt};
        for (const int64_t taken : found.store->snapshots()) {
            if (taken < *snapshot) found.previous_ms = taken;
        }
        sources.push_back(std::move(found));
    }
    return sources;
}

ReportSection state_section(const StateReportSource& source) {
    const StateSource& s = source.store->source();
    const std::string where = source.store->where_of(source.snapshot_ms);
    ReportSection section;
    section.title = s.organization + (s.source_group.empty() ? "" : " / " + s.source_group) + " / " + s.tenant_id +
                    (where.empty() ? "" : " (" + where + ")") + ", snapshot " + when_text(source.snapshot_ms) + " UTC";
    section.facts = {{"organization", s.organization},
                     {"source_group", s.source_group},
                     {"tenant_id", s.tenant_id},
                     {"where", where},
                     {"snapshot", rfc3339(source.snapshot_ms)}};
    return section;
}

Report state_report_frame(const StateReportOptions& options, const char* kind, const char* title, const char* what) {
    Report report;
    report.kind = kind;
    report.title = title;
    report.generated_ms = options.now_ms;
    report.scope = {{"at", rfc3339(options.at_ms)}};
    if (options.since_ms) report.scope.emplace_back("since", rfc3339(*options.since_ms));
    if (!options.organization.empty()) report.scope.emplace_back("organization", options.organization);
    if (!options.source_group.empty()) report.scope.emplace_back("source_group", options.source_group);
    if (!options.tenant_id.empty()) report.scope.emplace_back("tenant_id", options.tenant_id);
    report.sections_key = "sources";
    report.empty_message = std::string("No ") + what + " at or before " + when_text(options.at_ms) + " UTC" +
                           (options.organization.empty() ? "" : " for organization '" + options.organization + "'") +
                           ": enable the entra_state connector and run `vigil run --once`.";
    return report;
}

}  // namespace vigil
