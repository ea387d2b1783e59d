#include "report/event_reports.hpp"
#include "report/report_parts.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <map>

namespace vigil {

using namespace report_parts;

namespace {

// The parts of a sign-in's details the report shows (the entra_logons connector's names).
struct SignIn {
    std::string location, country, application, client, device, failure_reason;
};

std::string_view text_at(simdjson::dom::element element, std::string_view key) {
    std::string_view text;
    return element[key].get_string().get(text) == simdjson::SUCCESS ? text : std::string_view{};
}

void join(std::string& out, std::string_view part, std::string_view separator = ", ") {
    if (part.empty()) return;
    if (!out.empty()) out += separator;
    out += part;
}

SignIn read_sign_in(std::string_view details_json) {
    SignIn sign_in;
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element details;
    if (details_json.empty() ||
        parser.parse(details_json.data(), details_json.size(), true).get(details) != simdjson::SUCCESS) {
        return sign_in;
    }
    simdjson::dom::element location;
    if (details["location"].get(location) == simdjson::SUCCESS) {
        join(sign_in.location, text_at(location, "city"));
        join(sign_in.location, text_at(location, "state"));
        sign_in.country = text_at(location, "country");
        join(sign_in.location, sign_in.country);
    }
    sign_in.application = text_at(details, "application");
    sign_in.client = text_at(details, "client_app");
    simdjson::dom::element device;
    if (details["device"].get(device) == simdjson::SUCCESS) {
        join(sign_in.device, text_at(device, "name"));
        join(sign_in.device, text_at(device, "operating_system"));
        join(sign_in.device, text_at(device, "browser"));
    }
    int64_t code = 0;
    if (details["error_code"].get_int64().get(code) == simdjson::SUCCESS && code != 0) {
        sign_in.failure_reason = std::to_string(code);
        join(sign_in.failure_reason, text_at(details, "failure_reason"), ": ");
    }
    return sign_in;
}

// A summary table (json and html) appended to the section.
ReportTable& summary_table(ReportSection& section, std::string key, std::string title,
                           std::vector<ReportColumn> columns,
                           std::string empty_text = "No failed logons in this period.") {
    ReportTable& table = section.tables.emplace_back();
    table.key = std::move(key);
    table.title = std::move(title);
    table.summary = true;
    table.columns = std::move(columns);
    table.empty_text = std::move(empty_text);
    return table;
}

struct CountryFirstSeen {
    std::map<std::string, int64_t> first_ms;  // country -> first sign-in in the period
};

}  // namespace

Report logons_report(const EventDatabase& store, const EventReportRequest& request) {
    EventQuery query = request.query;
    query.connector = "entra_logons";
    const int64_t until_ms = std::min(query.until_ms, request.now_ms);

    // One pass over every matching sign-in for the summaries and charts.
    Timeline failed_over_time(query.since_ms, until_ms);
    Timeline succeeded_over_time(query.since_ms, until_ms);
    std::array<size_t, 24> failed_by_hour{};
    Tally failed_by_user, failed_by_ip, failed_by_country;
    std::map<std::string, int64_t> last_failure_of_user;
    std::map<std::string, std::map<std::string, size_t>> users_of_ip;  // failed logons per user from each IP
    std::map<std::string, CountryFirstSeen> countries_of_user;
    size_t total = 0;
    store.query(query, [&](const StoredEventView& event) {
        ++total;
        const SignIn sign_in = read_sign_in(event.details_json);
        if (!sign_in.country.empty()) {
            auto& first = countries_of_user[std::string(event.who)].first_ms[sign_in.country];
            first = first == 0 ? event.time_ms : std::min(first, event.time_ms);
        }
        if (event.status != "failure") {
            succeeded_over_time.add(event.time_ms);
            return true;
        }
        failed_over_time.add(event.time_ms);
        ++failed_by_hour[static_cast<size_t>((event.time_ms / 3'600'000) % 24)];
        failed_by_user.add(event.who);
        failed_by_ip.add(event.workstation);
        ++users_of_ip[std::string(event.workstation)][std::string(event.who)];
        failed_by_country.add(sign_in.country.empty() ? "(unknown)" : sign_in.country);
        auto& last = last_failure_of_user[std::string(event.who)];
        last = std::max(last, event.time_ms);
        return true;
    });

    Report report;
    report.kind = "logons";
    report.title = "Logons";
    report.generated_ms = request.now_ms;
    report.scope = event_scope(request.query);
    report.csv_table = "logons";
    ReportSection& section = report.sections.emplace_back();
    section.charts.push_back(
        failed_over_time.chart("failed_over_time", "Failed logons over time", "failed logons", "failure"));
    section.charts.push_back(succeeded_over_time.chart("successful_over_time", "Successful logons over time",
                                                       "successful logons", "success"));
    ReportChart by_hour{
        "failed_by_hour", "Failed logons by hour of day (UTC)", ReportChart::Kind::timeline, "failed logons", {}};
    for (size_t hour = 0; hour < 24; ++hour) {
        by_hour.bars.push_back({(hour < 10 ? "0" : "") + std::to_string(hour) + ":00",
                                static_cast<double>(failed_by_hour[hour]), "failure"});
    }
    section.charts.push_back(std::move(by_hour));
    section.charts.push_back(
        ranking_chart("failed_by_user", "Failed logons by user", "failed logons", failed_by_user, 10, "failure"));

    ReportTable& logons = section.tables.emplace_back();
    logons.key = "logons";
    logons.columns = {{"time", "When (UTC)", true, 19},
                      {"user", "User"},
                      {"result", "Result", true, 16},
                      {"ip", "IP address"},
                      {"location", "Location"},
                      {"application", "Application"},
                      {"client", "Client"},
                      {"device", "Device"},
                      {"failure_reason", "Failure reason"},
                      {"organization", "Organization", false},
                      {"source_group", "Source group", false},
                      {"tenant_id", "Tenant", false},
                      {"where", "Where", false},
                      {"details", "Details", false},
                      {"id", "Id", false}};
    logons.empty_text = "No logons match in this period.";
    logons.row_limit = request.row_limit;
    logons.total_rows = total;
    logons.produce = [&store, query](const std::function<bool(const ReportRow&)>& emit) {
        ReportRow row(15);
        store.query(query, [&](const StoredEventView& event) {
            SignIn sign_in = read_sign_in(event.details_json);
            row[0] = time_cell(event.time_ms);
            row[1] = text_cell(event.who);
            row[2] = text_cell(event.action);
            row[2].level = event.status == "failure" ? "failure" : "success";
            row[3] = text_cell(event.workstation);
            row[4] = ReportCell{std::move(sign_in.location), {}, {}};
            row[5] = ReportCell{std::move(sign_in.application), {}, {}};
            row[6] = ReportCell{std::move(sign_in.client), {}, {}};
            row[7] = ReportCell{std::move(sign_in.device), {}, {}};
            row[8] = ReportCell{std::move(sign_in.failure_reason), {}, {}};
            row[9] = text_cell(event.organization);
            row[10] = text_cell(event.source_group);
            row[11] = text_cell(event.tenant_id);
            row[12] = text_cell(event.where);
            row[13] = ReportCell{details_text(event.details_json),
                                 event.details_json.empty() ? "null" : std::string(event.details_json),
                                 {}};
            row[14] = text_cell(event.id);
            return emit(row);
        });
    };

    ReportTable& by_user =
        summary_table(section, "failed_by_user", "Failed logons by user",
                      {{"user", "User"}, {"failed", "Failed logons"}, {"last_failed", "Last failed (UTC)"}});
    for (const auto& [user, count] : failed_by_user.ranked(SIZE_MAX)) {
        by_user.rows.push_back({text_cell(user), count_cell(count), time_cell(last_failure_of_user[user])});
    }

    ReportTable& by_ip = summary_table(section, "failed_by_ip", "Failed logons by IP address",
                                       {{"ip", "IP address"}, {"failed", "Failed logons"}, {"users", "Users tried"}});
    for (const auto& [ip, count] : failed_by_ip.ranked(SIZE_MAX)) {
        by_ip.rows.push_back({text_cell(ip), count_cell(count), count_cell(users_of_ip[ip].size())});
    }

    ReportTable& by_country = summary_table(section, "failed_by_country", "Failed logons by country",
                                            {{"country", "Country"}, {"failed", "Failed logons"}});
    for (const auto& [country, count] : failed_by_country.ranked(SIZE_MAX)) {
        by_country.rows.push_back({text_cell(country), count_cell(count)});
    }

    // A user seen from a country for the first time in the period, after signing in from another one in it.
    ReportTable& first_seen = summary_table(section, "first_seen_countries", "Countries first seen for a user",
                                            {{"user", "User"},
                                             {"country", "Country"},
                                             {"first_seen", "First seen (UTC)"},
                                             {"earlier_countries", "Earlier countries"}},
                                            "No user signed in from more than one country in this period.");
    std::vector<std::tuple<int64_t, std::string, std::string, std::string>> sightings;  // newest first, below
    for (const auto& [user, seen] : countries_of_user) {
        if (seen.first_ms.size() < 2) continue;
        std::vector<std::pair<int64_t, std::string>> by_time;
        for (const auto& [country, first_ms] : seen.first_ms) by_time.emplace_back(first_ms, country);
        std::sort(by_time.begin(), by_time.end());
        std::string earlier = by_time.front().second;
        for (size_t i = 1; i < by_time.size(); ++i) {
            sightings.emplace_back(by_time[i].first, user, by_time[i].second, earlier);
            earlier += ", " + by_time[i].second;
        }
    }
    std::stable_sort(sightings.begin(), sightings.end(),
                     [](const auto& a, const auto& b) { return std::get<0>(a) > std::get<0>(b); });
    for (const auto& [time_ms, user, country, earlier] : sightings) {
        first_seen.rows.push_back({text_cell(user), text_cell(country), time_cell(time_ms), text_cell(earlier)});
    }
    return report;
}

}  // namespace vigil
