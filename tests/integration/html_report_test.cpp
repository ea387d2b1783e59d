// The html reports as a person sees them: `vigil report KIND --format html` on a fixed store, opened in headless
// Chromium (Debian's, which scripts/deps.sh installs). Checks the page after Chromium ran it: the charts drawn as
// SVG, the rows of each table, the report's own script run to its end, and nothing in the browser's console (no
// script error, no Content-Security-Policy violation: the page fetched nothing).
#include "support/test_support.hpp"
#include "unit/report/report_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace vigil {
namespace {

using namespace test::reports;

size_t count(const std::string& text, const std::string& what) {
    size_t found = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++found;
    return found;
}

// The body rows of the table whose data-key is key, in the DOM Chromium dumped.
size_t table_rows(const std::string& dom, const std::string& key) {
    const size_t start = dom.find("data-key=\"" + key + "\"><thead>");
    if (start == std::string::npos) return SIZE_MAX;
    const size_t body = dom.find("<tbody>", start);
    const size_t end = dom.find("</tbody>", body);
    return count(dom.substr(body, end - body), "<tr>");
}

std::string chromium_binary() {
    for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
        if (std::filesystem::exists(path)) return path;
    }
    return {};
}

class HtmlReportTest : public testing::Test {
protected:
    void SetUp() override {
        chromium_ = chromium_binary();
        ASSERT_FALSE(chromium_.empty()) << "Chromium is not installed: run scripts/deps.sh (it installs Debian's)";
        config_ = out_.write("vigil.yaml", "agent:\n  data_dir: " + reports_.data_dir() +
                                               "\noutputs:\n  - {type: store, path: " + reports_.data_dir() +
                                               "/events.db}\n");
    }

    // Writes the report with the real binary, opens it in Chromium, returns the DOM after the page's script ran.
    std::string open_in_chromium(const std::string& kind) {
        const std::string html = out_.file(kind + ".html");
        const std::vector<std::string> range =
            kind == "activity" || kind == "logons"
                ? std::vector<std::string>{"--since", "2026-11-13T12:00:00Z", "--until", "2026-11-20T12:00:00Z"}
                : std::vector<std::string>{"--at", "2026-11-20T12:00:00Z", "--since", "2026-11-19T12:00:00Z"};
        std::vector<std::string> args{"report", kind, "--config", config_, "--format", "html", "--out", html};
        args.insert(args.end(), range.begin(), range.end());
        EXPECT_EQ(test::run_vigil(args, out_.file(kind + "-report")), 0)
            << test::read_file(out_.file(kind + "-report.err"));
        test::ChildProcess browser =
            test::spawn({chromium_, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--disable-background-networking", "--user-data-dir=" + out_.file("profile-" + kind),
                         "--enable-logging=stderr", "--v=0", "--dump-dom", "file://" + html},
                        out_.file(kind + "-chromium"));
        EXPECT_EQ(test::wait_for_exit(browser, 90'000), 0) << test::read_file(out_.file(kind + "-chromium.err"));
        const std::string console = test::read_file(out_.file(kind + "-chromium.err"));
        EXPECT_EQ(console.find(":CONSOLE"), std::string::npos) << kind << ": the browser's console said:\n" << console;
        return test::read_file(out_.file(kind + "-chromium.out"));
    }

    FixedReports reports_;
    test::TempDir out_;
    std::string chromium_;
    std::string config_;
};

TEST_F(HtmlReportTest, ActivityShowsItsChartsAndEveryChange) {
    const std::string dom = open_in_chromium("activity");
    EXPECT_NE(dom.find("data-ready=\"yes\""), std::string::npos) << "the page's script did not run to its end";
    EXPECT_NE(dom.find("<h1>Activity report</h1>"), std::string::npos);
    EXPECT_EQ(count(dom, "<svg"), 4u) << "changes over time, by action, by account, failed by action";
    EXPECT_GE(count(dom, "<rect"), 8u);
    EXPECT_EQ(table_rows(dom, "events"), 5u);
    EXPECT_EQ(count(dom, "<script>alert"), 0u);
}

TEST_F(HtmlReportTest, LogonsShowTheirSummariesAndCharts) {
    const std::string dom = open_in_chromium("logons");
    EXPECT_NE(dom.find("data-ready=\"yes\""), std::string::npos);
    EXPECT_EQ(count(dom, "<svg"), 4u) << "failed and successful over time, failed by hour, failed by user";
    EXPECT_EQ(table_rows(dom, "logons"), 6u);
    EXPECT_EQ(table_rows(dom, "failed_by_user"), 4u) << "ann, bob, carol and the formula-named account";
    EXPECT_EQ(table_rows(dom, "failed_by_ip"), 2u);
    EXPECT_EQ(table_rows(dom, "failed_by_country"), 2u) << "NG and CH";
    EXPECT_EQ(table_rows(dom, "first_seen_countries"), 1u) << "ann: US, then NG";
    EXPECT_NE(dom.find("class=\"nw level-failure\">Failed Logon</td>"), std::string::npos);
}

TEST_F(HtmlReportTest, StateAndRisksShowEachTenant) {
    const std::string state = open_in_chromium("state");
    EXPECT_NE(state.find("data-ready=\"yes\""), std::string::npos);
    EXPECT_EQ(count(state, "<section>"), 2u) << "two tenants";
    EXPECT_EQ(count(state, "<svg"), 2u) << "objects by kind, per tenant";
    EXPECT_EQ(table_rows(state, "objects"), 5u) << "the first tenant's table comes first";
    EXPECT_EQ(table_rows(state, "changes"), 2u);

    const std::string risks = open_in_chromium("risks");
    EXPECT_NE(risks.find("data-ready=\"yes\""), std::string::npos);
    EXPECT_EQ(count(risks, "<svg"), 2u) << "metrics by level, per tenant";
    EXPECT_EQ(table_rows(risks, "risks"), 3u);
    EXPECT_NE(risks.find("fill=\"#c62828\""), std::string::npos) << "a high level drawn in red";
    EXPECT_NE(risks.find("<td class=\"nw level-high\">high</td>"), std::string::npos);
}

}  // namespace
}  // namespace vigil
