// The event store's figures (issue #7): N events (default 2 M: sign-ins and directory changes over 30 days from
// 3 organizations and 12 tenants) inserted the way the store output does it (a batch of 8,192 serialized records,
// each read for its indexed fields, one transaction), then the report queries timed on what was stored.
//
//     store_bench [EVENTS] [DIR]      (scripts/bench.sh runs it; DIR defaults to a temporary folder, removed after)
#include "report/event_reports.hpp"
#include "report/report_renderer.hpp"
#include "store/event_record_reader.hpp"
#include "store/event_store.hpp"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kDayMs = 86'400'000;
constexpr size_t kBatch = 8192;
const char* const kOrganizations[] = {"Contoso", "Fabrikam", "Northwind"};

double as_double(int64_t value) {
    return static_cast<double>(value);
}

double cpu_seconds(const timeval& time) {
    return as_double(time.tv_sec) + as_double(time.tv_usec) / 1e6;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Event n of the run: deterministic, spread evenly over 30 days ending at end_ms.
struct Synthetic {
    std::string id, tenant, who, record;
    int64_t time_ms = 0;
    bool logon = false;
};

void make_event(size_t n, size_t total, int64_t end_ms, Synthetic& out) {
    char text[2048];
    out.logon = n % 5 < 3;
    out.time_ms = end_ms - 30 * kDayMs +
                  static_cast<int64_t>(as_double(30 * kDayMs) *
                                       (as_double(static_cast<int64_t>(n)) / as_double(static_cast<int64_t>(total))));
    std::snprintf(text, sizeof(text), "%08zx-0000-4000-8000-%012zx", n, n * 7919);
    out.id = text;
    const size_t tenant = n % 12;
    std::snprintf(text, sizeof(text), "%08zx-1111-4000-8000-000000000000", tenant);
    out.tenant = text;
    std::snprintf(text, sizeof(text), "user%zu@tenant%zu.example", (n * 31) % 5000, tenant);
    out.who = text;
    const bool failed = out.logon && n % 7 == 0;
    const char* organization = kOrganizations[tenant % 3];
    const int size = std::snprintf(
        text, sizeof(text),
        R"({"id":"%s","connector":"%s","organization":"%s","source_group":"Cloud","tenant_id":"%s",)"
        R"("time":"2026-01-01T00:00:00.000Z","action":"%s","object_type":"%s","what":"%s","who":"%s",)"
        R"("where":"tenant%zu.example","workstation":"198.51.%zu.%zu","status":"%s","details":)"
        R"([{"name":"application","value":"Office 365 Exchange Online"},{"name":"client_app","value":"Browser"},)"
        R"({"name":"device","value":"Windows 10 / Edge 120"},{"name":"location","value":"Seattle, WA, US"},)"
        R"({"name":"conditional_access","value":"success"},{"name":"authentication_requirement",)"
        R"("value":"multiFactorAuthentication"},{"name":"error_code","value":"%d"},{"name":"failure_reason",)"
        R"("value":"%s"},{"name":"risk_level","value":"none"},{"name":"correlation_id",)"
        R"("value":"5d1f8f8e-7a3c-4b7e-9b8f-0f6f0e1d2c3b"}]})",
        out.id.c_str(), out.logon ? "entra_logons" : "entra_activity", organization, out.tenant.c_str(),
        out.logon ? (failed ? "Failed Logon" : "Successful Logon") : (n % 2 ? "Modified" : "Added"),
        out.logon ? "User" : (n % 3 ? "User" : "Group"), out.who.c_str(), out.who.c_str(), tenant, n % 200,
        (n / 200) % 250, failed ? "failure" : "success", failed ? 50126 : 0,
        failed ? "Error validating credentials due to invalid username or password." : "");
    out.record.assign(text, static_cast<size_t>(size));
}

// Runs one query a few times and prints the slowest: the first pays for pages not yet cached.
template <typename Query>
void time_query(const char* what, Query query) {
    double slowest = 0;
    size_t rows = 0;
    for (int run = 0; run < 3; ++run) {
        const auto start = Clock::now();
        rows = query();
        slowest = std::max(slowest, seconds_since(start));
    }
    std::printf("  %-58s %8zu rows %9.1f ms\n", what, rows, slowest * 1000);
}

}  // namespace

int main(int argc, char** argv) {
    const size_t total = argc > 1 ? std::stoull(argv[1]) : 2'000'000;
    const bool own_dir = argc <= 2;
    const std::string dir = own_dir ? std::filesystem::temp_directory_path() / "vigil-store-bench" : argv[2];
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::string path = dir + "/events.db";
    const int64_t end_ms = 1'796'000'000'000;  // late 2026

    double insert_seconds = 0;
    {
        vigil::EventStore store(path, false);
        vigil::EventRecordReader reader;
        std::vector<Synthetic> batch(kBatch);
        for (size_t first = 0; first < total; first += kBatch) {
            const size_t count = std::min(kBatch, total - first);
            for (size_t i = 0; i < count; ++i) make_event(first + i, total, end_ms, batch[i]);
            const auto start = Clock::now();
            std::string reason;
            store.insert(count, [&](size_t i, vigil::StoredEventView& out) {
                if (!reader.read(batch[i].record, out, reason)) throw std::runtime_error(reason);
                out.id = batch[i].id;
                out.connector = batch[i].logon ? "entra_logons" : "entra_activity";
                out.time_ms = batch[i].time_ms;
            });
            insert_seconds += seconds_since(start);
        }
    }
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "event store (SQLite): %zu events inserted in batches of %zu: %.2f s, %.0f inserts/s, %.0f MB on disk\n", total,
        kBatch, insert_seconds, as_double(static_cast<int64_t>(total)) / insert_seconds,
        static_cast<double>(std::filesystem::file_size(path)) / 1e6);
    std::printf("  (process: user %.2f s, sys %.2f s, peak RSS %.0f MB)\n", cpu_seconds(usage.ru_utime),
                cpu_seconds(usage.ru_stime), as_double(usage.ru_maxrss) / 1024.0);

    const vigil::EventStore store(path, true);
    const auto newest = [&](vigil::EventQuery query, size_t limit) {
        query.limit = limit;
        size_t rows = 0;
        store.query(query, [&](const vigil::StoredEventView&) {
            ++rows;
            return true;
        });
        return rows;
    };
    vigil::EventQuery activity;
    activity.connector = "entra_activity";
    activity.since_ms = end_ms - kDayMs;
    time_query("activity, last 24 h, newest 1,000", [&] { return newest(activity, 1000); });
    activity.since_ms = end_ms - 30 * kDayMs;
    time_query("activity, 30 days, count", [&] { return store.count(activity); });
    activity.organization = "Fabrikam";
    time_query("activity, one organization, 30 days, newest 1,000", [&] { return newest(activity, 1000); });
    activity.organization.clear();
    Synthetic actor;
    make_event(3, total, end_ms, actor);  // a directory change: its actor made others
    activity.who = actor.who;
    time_query("activity by one user, 30 days (every row)", [&] { return newest(activity, SIZE_MAX); });

    vigil::EventQuery logons;
    logons.connector = "entra_logons";
    logons.since_ms = end_ms - 7 * kDayMs;
    time_query("logons, 7 days, count", [&] { return store.count(logons); });
    logons.status = "failure";
    time_query("failed logons, 7 days, by user (top 20)", [&] { return store.tally(logons, "who", 20).size(); });
    time_query("failed logons, 7 days, by IP (top 20)", [&] { return store.tally(logons, "workstation", 20).size(); });
    logons.since_ms = end_ms - 30 * kDayMs;
    time_query("failed logons, 30 days, by user (top 20)", [&] { return store.tally(logons, "who", 20).size(); });
    logons.status.clear();
    logons.since_ms = end_ms - kDayMs;
    time_query("logons, last 24 h, newest 1,000", [&] { return newest(logons, 1000); });

    // Whole reports as `vigil report` makes them: the pass over every matching event for the summaries and charts,
    // then the first 1,000 rows rendered (table and html), written to /dev/null.
    std::ofstream null_stream("/dev/null");
    const auto whole_report = [&](const char* kind, int64_t days, vigil::ReportFormat format) {
        vigil::EventReportRequest request;
        request.now_ms = end_ms;
        request.row_limit = 1000;
        request.query.since_ms = end_ms - days * kDayMs;
        const vigil::Report report = std::string(kind) == "activity" ? vigil::activity_report(store, request)
                                                                     : vigil::logons_report(store, request);
        vigil::render_report(report, format, 120, null_stream);
        return report.sections.front().tables.front().total_rows;
    };
    time_query("report activity, 7 days, table",
               [&] { return whole_report("activity", 7, vigil::ReportFormat::table); });
    time_query("report activity, 7 days, html", [&] { return whole_report("activity", 7, vigil::ReportFormat::html); });
    time_query("report logons, 1 day, table", [&] { return whole_report("logons", 1, vigil::ReportFormat::table); });
    time_query("report logons, 7 days, table", [&] { return whole_report("logons", 7, vigil::ReportFormat::table); });
    time_query("report logons, 7 days, html", [&] { return whole_report("logons", 7, vigil::ReportFormat::html); });

    if (own_dir) std::filesystem::remove_all(dir);
    return 0;
}
