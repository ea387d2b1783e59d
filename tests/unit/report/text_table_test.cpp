#include "report/text_table.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(TextTable, AlignsColumnsUnderTheirHeaders) {
    TextTable table({"LEVEL", "METRIC"});
    table.add({"high", "Guests in privileged roles"});
    table.add({"low", "Empty groups"});
    EXPECT_EQ(table.render(80),
              "LEVEL  METRIC\n"
              "-----  --------------------------\n"
              "high   Guests in privileged roles\n"
              "low    Empty groups\n");
}

TEST(TextTable, ShrinksTheWidestColumnAndShowsTheCut) {
    TextTable table({"A", "B"});
    table.add({"short", "a rather long cell that cannot fit"});
    const std::string out = table.render(20);
    for (size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
        EXPECT_LE(display_width(out.substr(start, end - start)), 20u) << out;
    }
    EXPECT_NE(out.find("short  a rather lon\xE2\x80\xA6"), std::string::npos) << out;
}

TEST(TextTable, CountsCharactersNotBytes) {
    EXPECT_EQ(display_width("Zürich 東京"), 9u);
    EXPECT_EQ(fit("Zürich 東京", 5), "Züri\xE2\x80\xA6");
    EXPECT_EQ(fit("two\nlines", 20), "two lines");
}

}  // namespace
}  // namespace vigil
