#pragma once

#include <string>
#include <vector>

namespace vigil {

// The parsed command line (contract section 2).
struct CommandLine {
    std::string command;     // run | validate | doctor | report | plugins | cert | help | version
    std::string subcommand;  // plugins: list; cert: generate
    std::string config_file;
    bool once = false;
    bool daemon = false;           // run --daemon: detach from the terminal
    std::string pid_file;          // run --pidfile FILE (with --daemon)
    std::string organization;      // doctor --org
    std::string out_dir;           // cert generate
    int days = 365;                // cert generate
    std::string report_kind;       // report: activity | logons | state | risks
    std::string since, until, at;  // report: as written (ISO 8601 or a duration back from now)
    std::string report_format = "table";
    std::string out_file;  // report --out
    // report: narrow to these (exact matches; empty: no narrowing)
    std::string source_group, tenant_id, who, action, object_type, status;
    long long limit = -1;  // report --limit: rows shown (0: all; -1: the format's default)
};

// Parses argv[1..]; throws std::invalid_argument with a one-line message on a bad command line (exit code 2).
CommandLine parse_command_line(const std::vector<std::string>& args);

std::string usage();

// The whole program: returns the process exit code (0 success, 1 runtime failure, 2 bad usage or configuration).
int vigil_main(int argc, char** argv);

}  // namespace vigil
