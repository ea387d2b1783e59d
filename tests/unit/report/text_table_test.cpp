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

TEST(TextTable, CountsTerminalColumnsNotBytes) {
    EXPECT_EQ(display_width("Zürich 東京"), 11u) << "ü one column, each ideograph two";
    EXPECT_EQ(display_width("ok \xF0\x9F\x99\x82"), 5u) << "an emoji takes two";
    EXPECT_EQ(fit("Zürich 東京", 5), "Züri\xE2\x80\xA6");
    EXPECT_EQ(fit("Zürich 東京", 9), "Zürich  \xE2\x80\xA6") << "a wide character that does not fit leaves a space";
    EXPECT_EQ(display_width(fit("東京東京", 6)), 6u);
    EXPECT_EQ(fit("two\nlines", 20), "two lines");
}

TEST(TextTable, NothingReachesTheTerminalAsAControlCharacter) {
    EXPECT_EQ(printable("\x1b[2Jclear\x07 \xC2\x9B"
                        "31m"),
              "\xEF\xBF\xBD[2Jclear\xEF\xBF\xBD \xEF\xBF\xBD"
              "31m");
    EXPECT_EQ(printable("a\tb\r\nc"), "a b  c");
    EXPECT_EQ(printable("caf\xC3\xA9 \xC2\xA0"), "caf\xC3\xA9 \xC2\xA0") << "other two-byte characters stay";
}

}  // namespace
}  // namespace vigil
