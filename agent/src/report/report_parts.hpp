#pragma once

#include "report/report_model.hpp"
#include "store/event_database.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// Pieces the reports share: how they write times, scopes, cells and tallies.
namespace vigil::report_parts {

// "2026-11-27 21:21:17" (UTC) for people; rfc3339 for json.
std::string when_text(int64_t ms);
std::string rfc3339(int64_t ms);

// A cell whose text is a time and whose json is the RFC 3339 string.
ReportCell time_cell(int64_t ms);
// A cell whose json is a number.
ReportCell count_cell(size_t value);
// A cell of text (copied).
inline ReportCell text_cell(std::string_view text) {
    return ReportCell{std::string(text), {}, {}};
}

// An event's details for people: a list of changes [{name, old, new}] as "name: old -> new; name: value" (old
// null: the value alone), an object as "key=value, key=value" (nested objects flattened with dots), text that is
// not JSON as itself. Strings without their quotes, other values as compact JSON.
std::string details_text(std::string_view json);

// The scope line of an event report: the time range and every narrowing that was asked for.
std::vector<std::pair<std::string, std::string>> event_scope(const EventQuery& query);

// Counts by value, kept as they come; `ranked` gives the largest first (ties by value) cut to `limit`.
class Tally {
public:
    void add(std::string_view value, size_t count = 1);
    std::vector<std::pair<std::string, size_t>> ranked(size_t limit) const;
    bool empty() const { return counts_.empty(); }

private:
    std::map<std::string, size_t, std::less<>> counts_;
};

// A ranking chart of a tally's top values.
ReportChart ranking_chart(std::string key, std::string title, std::string unit, const Tally& tally, size_t limit,
                          const std::string& level = "");

// Time buckets for a timeline over [since, until): an hour for up to two days, a day up to 62 days, else a week.
class Timeline {
public:
    Timeline(int64_t since_ms, int64_t until_ms);
    void add(int64_t time_ms);
    ReportChart chart(std::string key, std::string title, std::string unit, const std::string& level = "") const;

private:
    int64_t start_ms_ = 0;
    int64_t bucket_ms_ = 0;
    std::vector<size_t> counts_;
};

// The widest range an event report covers when --since is not given.
inline constexpr int64_t kDefaultReportDays = 7;

}  // namespace vigil::report_parts
