// The state report's table of changes, on a store written here.
#include "report/state_report.hpp"
#include "report/report_renderer.hpp"

#include "store/state_store.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace vigil {
namespace {

TEST(StateReport, AChangeFromOrToNothingIsAnEmptyCell) {
    test::TempDir dir;
    const StateSource source{"Contoso", "", "11111111-1111-4111-8111-111111111111"};
    {
        StateStore store(StateStore::path_for(dir.path().string(), source), source, false);
        store.begin(1'000'000, "contoso.com");
        store.put(StateObjectView{"user", "u1", "User", "ann@contoso.com", R"({"enabled":true})"});
        store.finish("");
        store.begin(2'000'000, "contoso.com");
        store.put(StateObjectView{"user", "u1", "User", "ann@contoso.com", R"({"enabled":false,"dept":"Sales"})"});
        store.finish("");
    }
    StateReportOptions options;
    options.data_dir = dir.path().string();
    options.at_ms = 3'000'000;
    options.since_ms = 1'500'000;
    std::ostringstream out;
    render_text_report(state_report(options), 120, out);
    const std::string text = out.str();
    EXPECT_NE(text.find("Modified  User  ann@contoso.com  enabled   true  false"), std::string::npos) << text;
    EXPECT_NE(text.find("Modified  User  ann@contoso.com  dept            Sales"), std::string::npos)
        << "a property that did not exist before: an empty old cell\n"
        << text;
}

}  // namespace
}  // namespace vigil
