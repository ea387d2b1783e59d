// A page's records as simdjson elements and as the exact bytes received.
#include "graph_page.hpp"

#include <gtest/gtest.h>

namespace vigil::connectors {
namespace {

TEST(GraphPage, RawSlicesAreTheRecordsExactlyAsReceived) {
    const std::string page = R"({"@odata.context":"x","value" : [ {"id":"a","n":"]},\"[{"} ,)"
                             "\n  {\"id\":\"b\",\"nested\":{\"list\":[1,[2,3],{}]}},{\"id\":\"c\"}\n],"
                             R"("@odata.deltaLink":"https://graph/delta?t=1"})";
    GraphPage parsed;
    std::string error;
    ASSERT_TRUE(parsed.parse(page, error)) << error;
    ASSERT_EQ(parsed.size(), 3u);
    EXPECT_EQ(parsed.raw(0), R"({"id":"a","n":"]},\"[{"})");
    EXPECT_EQ(parsed.raw(1), R"({"id":"b","nested":{"list":[1,[2,3],{}]}})");
    EXPECT_EQ(parsed.raw(2), R"({"id":"c"})");
    EXPECT_EQ(string_at(parsed.record(1), "id"), "b");
}

TEST(GraphPage, AValueKeyInsideARecordIsNotTheList) {
    std::vector<std::string_view> slices;
    ASSERT_TRUE(value_slices(R"({"a":{"value":[9]},"x":"value","value":[{"value":1}]})", slices));
    ASSERT_EQ(slices.size(), 1u);
    EXPECT_EQ(slices[0], R"({"value":1})");
}

TEST(GraphPage, EmptyListsAndBrokenPages) {
    GraphPage parsed;
    std::string error;
    ASSERT_TRUE(parsed.parse(R"({"value":[]})", error));
    EXPECT_EQ(parsed.size(), 0u);
    EXPECT_FALSE(parsed.parse(R"({"value":[{"id":"a"},)", error)) << "cut short";
    EXPECT_NE(error.find("not valid JSON"), std::string::npos);
    EXPECT_FALSE(parsed.parse(R"({"error":{"code":"x"}})", error));
    EXPECT_EQ(error, "the page has no \"value\" array");
}

}  // namespace
}  // namespace vigil::connectors
