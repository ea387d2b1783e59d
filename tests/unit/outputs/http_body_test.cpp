#include "outputs/http_body.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

class HttpBodyTest : public testing::Test {
protected:
    HttpBodyTest() {
        for (size_t i = 0; i < jsons_.size(); ++i) {
            records_[i] = vigil_record{sizeof(vigil_record),
                                       i + 1,
                                       {ids_[i].data(), ids_[i].size()},
                                       {connector_.data(), connector_.size()},
                                       1'796'464'800'005 + int64_t(i) * 120,
                                       {jsons_[i].data(), jsons_[i].size()}};
            pointers_[i] = &records_[i];
        }
    }
    std::string body(const HttpBodyFormat& format, std::vector<uint32_t> indices = {0, 1}) {
        std::string out;
        append_http_body(format, pointers_, indices, out);
        return out;
    }

    std::array<std::string, 2> ids_{"e1", "id \"quoted\""};
    std::array<std::string, 2> jsons_{R"({"id":"e1"})", R"({"id":"id \"quoted\""})"};
    std::string connector_ = "entra_logons";
    std::array<vigil_record, 2> records_{};
    std::array<const vigil_record*, 2> pointers_{};
};

TEST_F(HttpBodyTest, NdjsonIsOneRecordPerLine) {
    EXPECT_EQ(body({HttpMode::ndjson, "", "", ""}), "{\"id\":\"e1\"}\n{\"id\":\"id \\\"quoted\\\"\"}\n");
    EXPECT_STREQ(http_content_type(HttpMode::ndjson), "application/x-ndjson");
}

TEST_F(HttpBodyTest, JsonArrayIsOneArrayInTheOrderAsked) {
    EXPECT_EQ(body({HttpMode::json_array, "", "", ""}, {1, 0}), R"([{"id":"id \"quoted\""},{"id":"e1"}])");
    EXPECT_EQ(body({HttpMode::json_array, "", "", ""}, {}), "[]");
}

TEST_F(HttpBodyTest, SplunkHecWrapsEachRecordWithItsMetadata) {
    EXPECT_EQ(body({HttpMode::splunk_hec, "audit", "vigil:event", "collector-1"}),
              R"({"time":1796464800.005,"host":"collector-1","source":"vigil:entra_logons","sourcetype":"vigil:event",)"
              R"("index":"audit","event":{"id":"e1"}})"
              "\n"
              R"({"time":1796464800.125,"host":"collector-1","source":"vigil:entra_logons","sourcetype":"vigil:event",)"
              R"("index":"audit","event":{"id":"id \"quoted\""}})"
              "\n");
    // No index: the token's default index.
    EXPECT_EQ(
        body({HttpMode::splunk_hec, "", "st", "h"}, {0}),
        R"({"time":1796464800.005,"host":"h","source":"vigil:entra_logons","sourcetype":"st","event":{"id":"e1"}})"
        "\n");
}

TEST_F(HttpBodyTest, ElasticsearchCreatesEachDocumentUnderItsEventId) {
    EXPECT_EQ(
        body({HttpMode::elasticsearch, "vigil-events", "", ""}),
        "{\"create\":{\"_index\":\"vigil-events\",\"_id\":\"e1\"}}\n{\"id\":\"e1\"}\n"
        "{\"create\":{\"_index\":\"vigil-events\",\"_id\":\"id \\\"quoted\\\"\"}}\n{\"id\":\"id \\\"quoted\\\"\"}\n");
}

TEST(BulkResponse, ItemsAreReadInOrderWithTheirErrors) {
    std::vector<BulkItem> items;
    std::string reason;
    ASSERT_TRUE(parse_bulk_response(
        R"({"took":30,"errors":true,"items":[{"create":{"_index":"i","_id":"a","status":201}},)"
        R"({"create":{"_index":"i","_id":"b","status":409,"error":{"type":"version_conflict_engine_exception","reason":"exists"}}},)"
        R"({"index":{"_index":"i","_id":"c","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}}]})",
        items, reason))
        << reason;
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(items[0].status, 201);
    EXPECT_EQ(items[0].error, "");
    EXPECT_EQ(items[1].status, 409);
    EXPECT_EQ(items[2].status, 429);
    EXPECT_EQ(items[2].error, "es_rejected_execution_exception: queue full");
}

TEST(BulkResponse, WhatIsNotABulkResponseIsSaidSo) {
    std::vector<BulkItem> items;
    std::string reason;
    EXPECT_FALSE(parse_bulk_response("<html>gateway</html>", items, reason));
    EXPECT_EQ(reason, "the _bulk response is not JSON");
    EXPECT_FALSE(parse_bulk_response(R"({"acknowledged":true})", items, reason));
    EXPECT_EQ(reason, "the _bulk response has no items");
    EXPECT_FALSE(parse_bulk_response(R"({"items":[{"create":{"_id":"a"}}]})", items, reason));
    EXPECT_EQ(reason, "a _bulk response item has no status");
}

TEST(HttpMode, NamesAreTheSettingsValues) {
    HttpMode mode{};
    EXPECT_TRUE(parse_http_mode("splunk_hec", mode));
    EXPECT_EQ(mode, HttpMode::splunk_hec);
    EXPECT_TRUE(parse_http_mode("elasticsearch", mode));
    EXPECT_EQ(mode, HttpMode::elasticsearch);
    EXPECT_FALSE(parse_http_mode("syslog", mode));
}

}  // namespace
}  // namespace vigil
