// Values that break careless escaping, in every format: each format keeps them exact where it can (json), makes
// them harmless where it must (csv formulas, html, terminal escapes), and never lets one break the structure.
#include "report/text_table.hpp"
#include "unit/report/report_fixture.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <map>
#include <sstream>

namespace vigil {
namespace {

using namespace test::reports;

// RFC 4180: records end with CRLF outside quotes; a quoted field doubles its quotes. Fails the test on any
// malformation (a bare quote inside an unquoted field, an unterminated quote, a bare LF ending a record).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
    bool quoted = false;
    bool field_was_quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        std::string& field = records.back().back();
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            EXPECT_TRUE(field.empty() && !field_was_quoted) << "a quote inside an unquoted field at byte " << i;
            quoted = field_was_quoted = true;
        } else if (c == ',') {
            records.back().emplace_back();
            field_was_quoted = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            records.emplace_back(1);
            field_was_quoted = false;
            ++i;
        } else {
            EXPECT_NE(c, '\n') << "a bare line feed ends a record at byte " << i;
            EXPECT_FALSE(field_was_quoted) << "text after a closing quote at byte " << i;
            field += c;
        }
    }
    EXPECT_FALSE(quoted) << "an unterminated quote";
    EXPECT_TRUE(records.back().size() == 1 && records.back()[0].empty()) << "the last record ends with CRLF";
    records.pop_back();
    return records;
}

// The csv's records by the value of one column, each as column name -> cell.
std::map<std::string, std::map<std::string, std::string>> csv_by(const std::string& text, const std::string& key) {
    const auto records = parse_csv(text);
    std::map<std::string, std::map<std::string, std::string>> rows;
    if (records.empty()) return rows;
    const auto& header = records[0];
    for (size_t r = 1; r < records.size(); ++r) {
        EXPECT_EQ(records[r].size(), header.size()) << "record " << r << " has as many fields as the header";
        std::map<std::string, std::string> row;
        for (size_t c = 0; c < header.size() && c < records[r].size(); ++c) row[header[c]] = records[r][c];
        rows[row[key]] = row;
    }
    return rows;
}

class ReportHostileValuesTest : public testing::Test {
protected:
    FixedReports reports_;
};

TEST_F(ReportHostileValuesTest, CsvNeutralisesFormulasAndKeepsEverythingElseExact) {
    auto activity = csv_by(reports_.render("activity", ReportFormat::csv), "id");
    ASSERT_EQ(activity.size(), 5u);
    EXPECT_EQ(activity["a3"]["who"], std::string("'") + kFormulaWho);
    EXPECT_EQ(activity["a3"]["workstation"], std::string("'") + kAtFormula);
    EXPECT_EQ(activity["a3"]["what"], kUnicode);
    EXPECT_EQ(activity["a5"]["who"], std::string("'") + kPlusFormula);
    EXPECT_EQ(activity["a2"]["what"], kHtmlWhat) << "quotes and commas inside one field";
    EXPECT_EQ(activity["a2"]["details"], "Description: Sales -> Sales, \"EMEA\"");
    EXPECT_EQ(activity["a4"]["details"], std::string("Activity: Update user; Notes: before -> ") + kMultiLine)
        << "line breaks inside a quoted field";
    EXPECT_EQ(activity["a1"]["who"], "admin@contoso.com") << "ordinary values untouched";

    auto logons = csv_by(reports_.render("logons", ReportFormat::csv), "id");
    ASSERT_EQ(logons.size(), 6u);
    EXPECT_EQ(logons["l5"]["ip"], "'-1+2") << "a minus that starts a formula, not a number";
    EXPECT_EQ(logons["l5"]["failure_reason"], "50126: Invalid username or password, \"again\"");

    auto risks = csv_by(reports_.render("risks", ReportFormat::csv), "objects");
    bool found = false;
    for (const auto& [objects, row] : risks) {
        found = found || objects == std::string("ann@contoso.com, root, ") + kFormulaWho;
    }
    EXPECT_TRUE(found) << "a list that does not start with a formula prefix is left alone";
}

TEST_F(ReportHostileValuesTest, JsonKeepsEveryValueExactly) {
    const auto root =
        Poco::JSON::Parser().parse(reports_.render("activity", ReportFormat::json)).extract<Poco::JSON::Object::Ptr>();
    const auto events = root->getArray("events");
    ASSERT_EQ(events->size(), 5u);
    std::map<std::string, Poco::JSON::Object::Ptr> by_id;
    for (unsigned i = 0; i < events->size(); ++i) {
        by_id[events->getObject(i)->getValue<std::string>("id")] = events->getObject(i);
    }
    EXPECT_EQ(by_id["a3"]->getValue<std::string>("who"), kFormulaWho) << "json is data: no formula prefix";
    EXPECT_EQ(by_id["a3"]->getValue<std::string>("what"), kUnicode);
    EXPECT_EQ(by_id["a2"]->getValue<std::string>("what"), kHtmlWhat);
    EXPECT_EQ(by_id["a5"]->getValue<std::string>("action"), kTerminalEscape);
    EXPECT_EQ(by_id["a4"]->getArray("details")->getObject(1)->getValue<std::string>("new"), kMultiLine)
        << "details stay structured";
    EXPECT_EQ(root->getObject("totals")->getValue<int>("events"), 5);
}

TEST_F(ReportHostileValuesTest, HtmlEscapesEveryValueAndRunsOnlyItsOwnScript) {
    for (const char* kind : {"activity", "logons", "state", "risks"}) {
        const std::string html = reports_.render(kind, ReportFormat::html);
        EXPECT_EQ(html.find("<script>alert"), std::string::npos) << kind;
        EXPECT_EQ(html.find("<b>"), std::string::npos) << kind << ": markup from a value";
        EXPECT_EQ(html.find('\x1b'), std::string::npos) << kind;
        size_t scripts = 0;
        for (size_t at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) ++scripts;
        EXPECT_EQ(scripts, 1u) << kind << ": the report's own sorting script only";
        EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos) << kind;
    }
    const std::string activity = reports_.render("activity", ReportFormat::html);
    EXPECT_NE(activity.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;, with comma"),
              std::string::npos);
    EXPECT_NE(activity.find(kUnicode), std::string::npos) << "UTF-8 passes through as is";
    EXPECT_NE(reports_.render("logons", ReportFormat::html).find("&lt;b&gt;App&lt;/b&gt;"), std::string::npos);
}

TEST_F(ReportHostileValuesTest, TableIsPrintableAndFitsTheWidth) {
    for (const char* kind : {"activity", "logons", "state", "risks"}) {
        const std::string text = reports_.render(kind, ReportFormat::table);
        EXPECT_EQ(text.find('\x1b'), std::string::npos) << kind << ": an escape sequence reached the terminal";
        EXPECT_EQ(text.find("\xC2\x9B"), std::string::npos) << kind << ": a C1 control reached the terminal";
        EXPECT_EQ(text.find('\r'), std::string::npos) << kind;
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            EXPECT_LE(display_width(line), 120u) << kind << ": " << line;
        }
    }
}

TEST_F(ReportHostileValuesTest, ALimitedTableSaysHowManyThereAre) {
    const std::string text = reports_.render("activity", ReportFormat::table, 2);
    EXPECT_NE(text.find("Showing the first 2 of 5 rows; --limit N shows more (0: all)."), std::string::npos) << text;
    const std::string html = reports_.render("activity", ReportFormat::html, 2);
    EXPECT_NE(html.find("2 rows. Showing the first 2 of 5 rows"), std::string::npos);
}

TEST_F(ReportHostileValuesTest, AnEmptyResultSaysSoPlainly) {
    const Report empty = reports_.build("activity", SIZE_MAX, "Nobody");
    std::ostringstream table;
    render_report(empty, ReportFormat::table, 120, table);
    EXPECT_NE(table.str().find("No activity matches in this period."), std::string::npos) << table.str();
    std::ostringstream html;
    render_report(empty, ReportFormat::html, 120, html);
    EXPECT_NE(html.str().find("<p class=\"empty\">No activity matches in this period.</p>"), std::string::npos);
    std::ostringstream json;
    render_report(empty, ReportFormat::json, 120, json);
    EXPECT_NE(json.str().find("\"events\":[]"), std::string::npos) << json.str();

    const Report no_state = reports_.build("risks", SIZE_MAX, "Nobody");
    std::ostringstream risks;
    render_report(no_state, ReportFormat::table, 120, risks);
    EXPECT_NE(risks.str().find("No risks at or before 2026-11-20 12:00:00 UTC for organization 'Nobody': enable the "
                               "entra_state connector and run `vigil run --once`."),
              std::string::npos)
        << risks.str();
}

}  // namespace
}  // namespace vigil
