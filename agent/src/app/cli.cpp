#include "app/cli.hpp"

#include "app/cert_command.hpp"
#include "app/commands.hpp"
#include "app/doctor_command.hpp"
#include "app/report_command.hpp"
#include "logging/logging.hpp"

#include <algorithm>
#include <iostream>
#include <iterator>
#include <stdexcept>

namespace vigil {

std::string usage() {
    return "usage:\n"
           "  vigil run      --config FILE [--once | --daemon --pidfile FILE]\n"
           "                                         collect; --once: one cycle, deliver, exit; --daemon: detach\n"
           "  vigil validate --config FILE            check the configuration and plugins\n"
           "  vigil doctor   --config FILE [--org NAME]   per source: token and each connector's Graph access\n"
           "  vigil report   KIND --config FILE [--org NAME] [--since T] [--until T] [--at T]\n"
           "                 [--format table|csv|json|html] [--out FILE] [--limit N]\n"
           "                 [--source-group G] [--tenant ID] [--who W] [--action A] [--object-type T] [--status S]\n"
           "                 KIND: activity | logons | state | risks\n"
           "                 T: 2026-11-01, 2026-11-01T10:00:00Z, or back from now: 24h, 7d\n"
           "  vigil plugins  list --config FILE       list the plugins found\n"
           "  vigil cert     generate --out DIR [--days N]   key and self-signed certificate for the app registration\n"
           "  vigil version\n";
}

CommandLine parse_command_line(const std::vector<std::string>& args) {
    CommandLine line;
    if (args.empty()) throw std::invalid_argument("no command given");
    line.command = args[0];
    if (line.command == "--help" || line.command == "-h") line.command = "help";
    if (line.command == "--version") line.command = "version";
    size_t i = 1;
    if (line.command == "plugins") {
        if (i >= args.size() || args[i] != "list") throw std::invalid_argument("'plugins' takes 'list'");
        line.subcommand = args[i++];
    } else if (line.command == "cert") {
        if (i >= args.size() || args[i] != "generate") throw std::invalid_argument("'cert' takes 'generate'");
        line.subcommand = args[i++];
    } else if (line.command == "report") {
        static const char* const kKinds[] = {"activity", "logons", "state", "risks"};
        if (i >= args.size() || std::find(std::begin(kKinds), std::end(kKinds), args[i]) == std::end(kKinds)) {
            throw std::invalid_argument("'report' takes a kind: activity, logons, state or risks");
        }
        line.report_kind = args[i++];
    } else if (line.command != "run" && line.command != "validate" && line.command != "doctor" &&
               line.command != "help" && line.command != "version") {
        throw std::invalid_argument("unknown command '" + line.command + "'");
    }
    for (; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "--config" || arg == "-c") {
            if (i + 1 >= args.size()) throw std::invalid_argument(arg + " needs a FILE");
            line.config_file = args[++i];
        } else if (arg.rfind("--config=", 0) == 0) {
            line.config_file = arg.substr(9);
        } else if (arg == "--org" && (line.command == "doctor" || line.command == "report") && i + 1 < args.size()) {
            line.organization = args[++i];
        } else if (line.command == "report" &&
                   (arg == "--since" || arg == "--until" || arg == "--at" || arg == "--format" || arg == "--out")) {
            if (i + 1 >= args.size()) throw std::invalid_argument(arg + " needs a value");
            const std::string& value = args[++i];
            if (arg == "--since") line.since = value;
            if (arg == "--until") line.until = value;
            if (arg == "--at") line.at = value;
            if (arg == "--out") line.out_file = value;
            if (arg == "--format") {
                if (value != "table" && value != "csv" && value != "json" && value != "html") {
                    throw std::invalid_argument("--format takes table, csv, json or html, not '" + value + "'");
                }
                line.report_format = value;
            }
        } else if (line.command == "report" && (arg == "--source-group" || arg == "--tenant" || arg == "--who" ||
                                                arg == "--action" || arg == "--object-type" || arg == "--status")) {
            if (i + 1 >= args.size()) throw std::invalid_argument(arg + " needs a value");
            const std::string& value = args[++i];
            if (arg == "--source-group") line.source_group = value;
            if (arg == "--tenant") line.tenant_id = value;
            if (arg == "--who") line.who = value;
            if (arg == "--action") line.action = value;
            if (arg == "--object-type") line.object_type = value;
            if (arg == "--status") {
                if (value != "success" && value != "failure") {
                    throw std::invalid_argument("--status takes success or failure, not '" + value + "'");
                }
                line.status = value;
            }
        } else if (arg == "--limit" && line.command == "report") {
            const std::string text = i + 1 < args.size() ? args[++i] : "";
            size_t used = 0;
            long long limit = -1;
            try {
                limit = std::stoll(text, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (text.empty() || used != text.size() || limit < 0) {
                throw std::invalid_argument("--limit takes how many rows to show (0: all), not '" + text + "'");
            }
            line.limit = limit;
        } else if (arg == "--once" && line.command == "run") {
            line.once = true;
        } else if (arg == "--daemon" && line.command == "run") {
            line.daemon = true;
        } else if (arg == "--pidfile" && line.command == "run") {
            if (i + 1 >= args.size()) throw std::invalid_argument("--pidfile needs a FILE");
            line.pid_file = args[++i];
        } else if (arg == "--out" && line.command == "cert" && i + 1 < args.size()) {
            line.out_dir = args[++i];
        } else if (arg == "--days" && line.command == "cert" && i + 1 < args.size()) {
            const std::string& text = args[++i];
            size_t used = 0;
            int days = 0;
            try {
                days = std::stoi(text, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != text.size() || days < 1 || days > 3650) {
                throw std::invalid_argument("--days takes a whole number of days from 1 to 3650, not '" + text + "'");
            }
            line.days = days;
        } else {
            throw std::invalid_argument("unexpected argument '" + arg + "' for '" + line.command + "'");
        }
    }
    if (line.command == "cert" && line.out_dir.empty()) throw std::invalid_argument("'cert generate' needs --out DIR");
    if (line.daemon && line.once) throw std::invalid_argument("--daemon and --once do not go together");
    if (line.daemon != !line.pid_file.empty()) {
        throw std::invalid_argument(
            "--daemon and --pidfile FILE go together: a daemon's pid file is how it is stopped");
    }
    const bool needs_config = line.command == "run" || line.command == "validate" || line.command == "doctor" ||
                              line.command == "plugins" || line.command == "report";
    if (needs_config && line.config_file.empty()) {
        throw std::invalid_argument("'" + line.command + "' needs --config FILE");
    }
    return line;
}

int vigil_main(int argc, char** argv) {
    // Until `run` configures logging, log lines go to stderr: stdout carries command output (tables, reports).
    configure_logging(LogConfig{"warn", ""});
    CommandLine line;
    try {
        line = parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::invalid_argument& failure) {
        std::cerr << "vigil: " << failure.what() << "\n" << usage();
        return 2;
    }
    if (line.command == "help") {
        std::cout << usage();
        return 0;
    }
    if (line.command == "version") {
        std::cout << "vigil " << version_text() << "\n";
        return 0;
    }
    if (line.command == "validate") return command_validate(line);
    if (line.command == "plugins") return command_plugins_list(line);
    if (line.command == "doctor") return command_doctor(line);
    if (line.command == "report") return command_report(line);
    if (line.command == "cert") return command_cert_generate(line.out_dir, line.days);
    return command_run(line, argc > 0 ? argv[0] : "vigil");
}

}  // namespace vigil
