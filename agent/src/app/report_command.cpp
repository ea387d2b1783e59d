#include "app/report_command.hpp"

#include "app/builtin_plugins.hpp"
#include "app/commands.hpp"
#include "config/config_loader.hpp"
#include "plugins/plugin_registry.hpp"
#include "report/state_report.hpp"
#include "report/text_table.hpp"
#include "util/report_time.hpp"
#include "util/wall_clock.hpp"

#include <cerrno>
#include <fstream>
#include <iostream>
#include <system_error>

namespace vigil {

namespace {

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

}  // namespace

int command_report(const CommandLine& line) {
    if (line.report_kind == "activity" || line.report_kind == "logons") {
        std::cerr << "vigil: the " << line.report_kind
                  << " report reads the event store, which this version does not have yet; the events are in the "
                     "jsonl output meanwhile\n";
        return 1;
    }
    if (line.report_format != "table" && line.report_format != "json") {
        std::cerr << "vigil: --format " << line.report_format
                  << " is not available yet for this report; use table or json\n";
        return 2;
    }
    PluginRegistry registry;
    const std::optional<Config> loaded = load_config_or_explain(line.config_file, registry);
    if (!loaded) return 2;
    const Config& config = *loaded;
    const int64_t now_ms = wall_clock_ms();
    StateReportOptions options;
    options.data_dir = config.agent.data_dir;
    options.organization = line.organization;
    options.format = line.report_format;
    options.at_ms = now_ms;
    options.width = terminal_width();
    if (!line.at.empty() && !parse_time("--at", line.at, now_ms, options.at_ms)) return 2;
    if (!line.until.empty() && !parse_time("--until", line.until, now_ms, options.at_ms)) return 2;
    if (!line.since.empty()) {
        int64_t since = 0;
        if (!parse_time("--since", line.since, now_ms, since)) return 2;
        options.since_ms = since;
    }
    std::ofstream file;
    if (!line.out_file.empty()) {
        file.open(line.out_file, std::ios::trunc);
        if (!file) {
            std::cerr << "vigil: cannot write the report to " << line.out_file << ": "
                      << std::generic_category().message(errno) << " (check the folder exists and is writable)\n";
            return 1;
        }
    }
    std::ostream& out = line.out_file.empty() ? std::cout : file;
    try {
        if (line.report_kind == "state") {
            report_state(options, out);
        } else {
            report_risks(options, out);
        }
    } catch (const std::exception& failure) {
        std::cerr << "vigil: the " << line.report_kind << " report failed: " << failure.what() << "\n";
        return 1;
    }
    out.flush();
    return out ? 0 : 1;
}

}  // namespace vigil
