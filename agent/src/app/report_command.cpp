#include "app/report_command.hpp"

#include "app/commands.hpp"
#include "config/config_loader.hpp"
#include "plugins/plugin_registry.hpp"
#include "report/event_reports.hpp"
#include "report/report_renderer.hpp"
#include "report/state_report.hpp"
#include "report/text_table.hpp"
#include "store/event_store.hpp"
#include "store/pg_event_store.hpp"
#include "util/report_time.hpp"
#include "util/wall_clock.hpp"

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <system_error>

namespace vigil {

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr size_t kDefaultShownRows = 1000;  // table and html: a page a person reads; csv and json: everything

bool parse_time(const std::string& flag, const std::string& text, int64_t now_ms, int64_t& out) {
    const auto parsed = parse_report_time(text, now_ms);
    if (!parsed) {
        std::cerr << "vigil: " << flag << " takes an ISO 8601 date or time (2026-11-01, 2026-11-01T10:00:00Z) or a "
                  << "duration back from now (24h, 7d), not '" << text << "'\n";
        return false;
    }
    out = *parsed;
    return true;
}

std::string setting(const OutputConfig& output, const std::string& key) {
    const PluginSettings::Value* value = output.settings.find(key);
    const auto* text = value ? std::get_if<std::string>(value) : nullptr;
    return text ? *text : std::string();
}

// The event store the configuration's store output writes: PostgreSQL when it names a dsn, else its SQLite file.
// Throws with the file or server and what went wrong.
std::unique_ptr<EventDatabase> open_event_store(const Config& config) {
    for (const OutputConfig& output : config.outputs) {
        if (output.type != "store") continue;
        const std::string dsn = setting(output, "dsn");
        if (!dsn.empty()) return std::make_unique<PgEventStore>(dsn);
        const std::string path = setting(output, "path");
        if (!std::filesystem::exists(path)) {
            throw std::runtime_error("there is no event store at " + path +
                                     " yet: run `vigil run --once` with the entra_activity or entra_logons connector "
                                     "enabled first");
        }
        return std::make_unique<EventStore>(path, true);
    }
    // The loader adds the store unless it is listed with enabled: false.
    throw std::runtime_error("the event store is turned off in " + config.main_file +
                             " ({type: store, enabled: false}): the activity and logons reports read it; turn it on "
                             "and collect, or read the events in the jsonl output");
}

}  // namespace

int command_report(const CommandLine& line) {
    const std::optional<ReportFormat> format = parse_report_format(line.report_format);
    if (!format) {
        std::cerr << "vigil: --format takes table, csv, json or html, not '" << line.report_format << "'\n";
        return 2;
    }
    PluginRegistry registry;
    const std::optional<Config> loaded = load_config_or_explain(line.config_file, registry);
    if (!loaded) return 2;
    const Config& config = *loaded;
    const int64_t now_ms = wall_clock_ms();
    int64_t since_ms = INT64_MIN;
    int64_t until_ms = INT64_MAX;
    int64_t at_ms = now_ms;
    if (!line.since.empty() && !parse_time("--since", line.since, now_ms, since_ms)) return 2;
    if (!line.until.empty() && !parse_time("--until", line.until, now_ms, until_ms)) return 2;
    if (!line.at.empty() && !parse_time("--at", line.at, now_ms, at_ms)) return 2;
    if (since_ms != INT64_MIN && until_ms != INT64_MAX && since_ms >= until_ms) {
        std::cerr << "vigil: --since must be before --until\n";
        return 2;
    }
    const size_t row_limit = line.limit > 0    ? static_cast<size_t>(line.limit)
                             : line.limit == 0 ? SIZE_MAX
                             : *format == ReportFormat::table || *format == ReportFormat::html ? kDefaultShownRows
                                                                                               : SIZE_MAX;

    std::ofstream file;
    if (!line.out_file.empty()) {
        file.open(line.out_file, std::ios::trunc | std::ios::binary);
        if (!file) {
            std::cerr << "vigil: cannot write the report to " << line.out_file << ": "
                      << std::generic_category().message(errno) << " (check the folder exists and is writable)\n";
            return 1;
        }
    }
    std::ostream& out = line.out_file.empty() ? std::cout : file;
    try {
        std::unique_ptr<EventDatabase> store;  // outlives the report, whose rows it produces while rendering
        Report report;
        if (line.report_kind == "activity" || line.report_kind == "logons") {
            store = open_event_store(config);
            EventReportRequest request;
            request.now_ms = now_ms;
            request.row_limit = row_limit;
            EventQuery& query = request.query;
            // Without --since: the last week, what Graph keeps at the least and what people ask about most.
            query.since_ms = since_ms != INT64_MIN ? since_ms : std::min(until_ms, now_ms) - 7 * kDayMs;
            query.until_ms = until_ms;
            query.organization = line.organization;
            query.source_group = line.source_group;
            query.tenant_id = line.tenant_id;
            query.who = line.who;
            query.action = line.action;
            query.object_type = line.object_type;
            query.status = line.status;
            report = line.report_kind == "activity" ? activity_report(*store, request) : logons_report(*store, request);
        } else {
            if (!line.who.empty() || !line.action.empty() || !line.object_type.empty() || !line.status.empty()) {
                std::cerr << "vigil: --who, --action, --object-type and --status narrow the activity and logons "
                             "reports, not the "
                          << line.report_kind << " report\n";
                return 2;
            }
            StateReportOptions options;
            options.data_dir = config.agent.data_dir;
            options.organization = line.organization;
            options.source_group = line.source_group;
            options.tenant_id = line.tenant_id;
            options.now_ms = now_ms;
            options.row_limit = row_limit;
            options.at_ms = line.at.empty() && until_ms != INT64_MAX ? until_ms : at_ms;
            if (since_ms != INT64_MIN) options.since_ms = since_ms;
            report = line.report_kind == "state" ? state_report(options) : risks_report(options);
        }
        if (report.sections.empty() && *format == ReportFormat::csv) std::cerr << report.empty_message << "\n";
        render_report(report, *format, terminal_width(), out);
    } catch (const std::exception& failure) {
        std::cerr << "vigil: the " << line.report_kind << " report failed: " << failure.what() << "\n";
        return 1;
    }
    out.flush();
    if (!out) {
        std::cerr << "vigil: writing the report " << (line.out_file.empty() ? "to standard output" : line.out_file)
                  << " failed: " << std::generic_category().message(errno) << "\n";
        return 1;
    }
    return 0;
}

}  // namespace vigil
