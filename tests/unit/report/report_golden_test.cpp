// Every report in every format on the fixed store content of report_fixture, compared byte for byte with the files
// in tests/golden/reports. After an intended change to a report, regenerate them with
//   VIGIL_UPDATE_GOLDEN=1 build/tests/vigil_unit_tests --gtest_filter='Golden/*'
// and read the diff before committing it.
#include "unit/report/report_fixture.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace vigil {
namespace {

using namespace test::reports;

struct GoldenCase {
    const char* kind;
    ReportFormat format;
    const char* extension;
};

std::string case_name(const testing::TestParamInfo<GoldenCase>& info) {
    return std::string(info.param.kind) + "_" + info.param.extension;
}

class ReportGoldenTest : public testing::TestWithParam<GoldenCase> {
protected:
    FixedReports reports_;
};

TEST_P(ReportGoldenTest, MatchesItsGoldenFile) {
    const GoldenCase& golden = GetParam();
    const std::string rendered = reports_.render(golden.kind, golden.format);
    const std::string path =
        std::string(VIGIL_SOURCE_DIR) + "/tests/golden/reports/" + golden.kind + "." + golden.extension;
    if (std::getenv("VIGIL_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary | std::ios::trunc) << rendered;
    const std::string expected = test::read_file(path);
    ASSERT_FALSE(expected.empty()) << path << " is missing: regenerate it (see the top of this file)";
    EXPECT_EQ(rendered, expected) << "the " << golden.kind << " report as " << golden.extension << " differs from "
                                  << path;
}

INSTANTIATE_TEST_SUITE_P(
    Golden, ReportGoldenTest,
    testing::Values(GoldenCase{"activity", ReportFormat::table, "txt"},
                    GoldenCase{"activity", ReportFormat::csv, "csv"},
                    GoldenCase{"activity", ReportFormat::json, "json"},
                    GoldenCase{"activity", ReportFormat::html, "html"},
                    GoldenCase{"logons", ReportFormat::table, "txt"}, GoldenCase{"logons", ReportFormat::csv, "csv"},
                    GoldenCase{"logons", ReportFormat::json, "json"}, GoldenCase{"logons", ReportFormat::html, "html"},
                    GoldenCase{"state", ReportFormat::table, "txt"}, GoldenCase{"state", ReportFormat::csv, "csv"},
                    GoldenCase{"state", ReportFormat::json, "json"}, GoldenCase{"state", ReportFormat::html, "html"},
                    GoldenCase{"risks", ReportFormat::table, "txt"}, GoldenCase{"risks", ReportFormat::csv, "csv"},
                    GoldenCase{"risks", ReportFormat::json, "json"}, GoldenCase{"risks", ReportFormat::html, "html"}),
    case_name);

}  // namespace
}  // namespace vigil
