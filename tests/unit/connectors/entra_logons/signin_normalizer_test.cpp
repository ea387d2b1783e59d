// Microsoft's published signIn samples normalized field by field; the ones invalid as published are refused
// cleanly; the emulator's sign-ins of every kind.
#include "signin_normalizer.hpp"

#include "graph_page.hpp"
#include "record_stream.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <vigil/json_text.hpp>

namespace vigil::connectors {
namespace {

struct Normalized {
    std::string id, action, object_type, what, who, workstation, status, details;
    int64_t time_ms = 0;
    int64_t error_code = 0;
};

class SignInNormalizerTest : public testing::Test {
protected:
    std::vector<Normalized> normalize_fixture(const std::string& name) {
        return normalize_page(test::graph_fixture(name));
    }

    std::vector<Normalized> normalize_page(const std::string& page) {
        std::vector<Normalized> out;
        std::string error;
        const bool read = stream_.read(
            page,
            [&](simdjson::ondemand::object& record, std::string_view raw) {
                sdk::Event event;
                std::string why;
                int64_t code = -1;
                if (!normalizer_.normalize(record, raw, event, code, why)) {
                    Normalized skipped;
                    skipped.id = "skipped: " + why;
                    out.push_back(skipped);
                    return true;
                }
                EXPECT_TRUE(sdk::is_valid_json(event.details_json)) << event.details_json;
                EXPECT_TRUE(sdk::is_valid_json(event.raw_json)) << event.raw_json;
                EXPECT_EQ(event.raw_json.front(), '{');
                EXPECT_EQ(event.raw_json.back(), '}');
                out.push_back(
                    Normalized{std::string(event.id), std::string(event.action), std::string(event.object_type),
                               std::string(event.what), std::string(event.who), std::string(event.workstation),
                               std::string(event.status), std::string(event.details_json), event.time_ms, code});
                return true;
            },
            error);
        if (!read) ADD_FAILURE() << error;
        return out;
    }

    RecordStream stream_;
    SignInNormalizer normalizer_;
};

TEST_F(SignInNormalizerTest, AFailedInteractiveSignIn) {
    const auto events = normalize_fixture("signIns_list_beta_2022_ex1_clientCredentialType.json");
    ASSERT_EQ(events.size(), 1u);
    const Normalized& e = events[0];
    EXPECT_EQ(e.id, "1691d37b-8579-43a7-966a-0f35583c1300");
    EXPECT_EQ(e.time_ms, 1'625'070'872'000) << "2021-06-30T16:34:32Z";
    EXPECT_EQ(e.action, "Failed Logon");
    EXPECT_EQ(e.status, "failure");
    EXPECT_EQ(e.error_code, 50126);
    EXPECT_EQ(e.object_type, "User");
    EXPECT_EQ(e.who, "testaccount1@contoso.com");
    EXPECT_EQ(e.what, "Azure Portal");
    EXPECT_EQ(e.workstation, "131.107.159.37") << "no device name";
    EXPECT_NE(e.details.find(R"("failure_reason":"Error validating credentials due to invalid username or password.")"),
              std::string::npos)
        << e.details;
    EXPECT_NE(e.details.find(R"("error_code":50126)"), std::string::npos);
    EXPECT_NE(e.details.find(R"("event_type":"interactiveUser")"), std::string::npos);
    EXPECT_NE(e.details.find(R"("location":{"city":"Redmond","state":"Washington","country":"US"})"), std::string::npos)
        << e.details;
    EXPECT_NE(e.details.find(R"("resource":"Windows Azure Service Management API")"), std::string::npos);
    EXPECT_NE(e.details.find(R"("authentication_requirement":"singleFactorAuthentication")"), std::string::npos);
}

TEST_F(SignInNormalizerTest, ANonInteractiveSignInFromANamedDevice) {
    const auto events = normalize_fixture("signIns_list_beta_2022_ex3_noninteractive.json");
    ASSERT_FALSE(events.empty());
    const Normalized& e = events[0];
    EXPECT_EQ(e.action, "Successful Logon");
    EXPECT_EQ(e.status, "success");
    EXPECT_EQ(e.who, "admin@contoso.com");
    EXPECT_EQ(e.what, "Graph Explorer");
    EXPECT_EQ(e.workstation, "197.178.9.154 (DESKTOP-LK3PESR)");
    EXPECT_NE(e.details.find(R"("interactive":false)"), std::string::npos);
    EXPECT_NE(e.details.find(R"("event_type":"nonInteractiveUser")"), std::string::npos);
    EXPECT_EQ(e.details.find("failure_reason"), std::string::npos) << "no placeholder reason on a success";
}

TEST_F(SignInNormalizerTest, AnEmptyStatusIsASuccess) {
    const auto events = normalize_fixture("signIns_list_beta_2021_filter_startswith_nextLink.json");
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].action, "Successful Logon");
    EXPECT_EQ(events[0].time_ms, 1'541'530'113'852);
    EXPECT_NE(events[0].details.find(R"("conditional_access":"applied")"), std::string::npos);
}

TEST_F(SignInNormalizerTest, SamplesInvalidAsPublishedNeverBecomeEvents) {
    // The host refuses such pages before a plugin sees them (GraphClient checks every page), and checks every
    // event's raw text again at emit. On-Demand reads only what it needs, so the reader may walk such a page; what
    // matters is that no record of it is whole, valid JSON the host would let through.
    for (const char* name : {"signIns_list_v1.json", "signIns_list_v1_filter_startswith_nextLink.json",
                             "signIns_list_beta_2021_ex1.json"}) {
        std::string error;
        int records = 0;
        int passing = 0;
        const bool read = stream_.read(
            test::graph_fixture(name),
            [&](simdjson::ondemand::object&, std::string_view raw) {
                ++records;
                passing += sdk::is_valid_json(raw) ? 1 : 0;
                return true;
            },
            error);
        EXPECT_TRUE(!read || records > 0) << name << ": read as a page without looking at a record";
        EXPECT_EQ(passing, 0) << name;
    }
}

TEST_F(SignInNormalizerTest, ServicePrincipalsAreWhoWhenThereIsNoUser) {
    const auto events = normalize_page(
        R"({"value":[{"id":"sp-1","createdDateTime":"2026-01-01T00:00:00Z","userPrincipalName":"",)"
        R"("servicePrincipalName":"Backup job","appDisplayName":"Backup job","ipAddress":"198.51.100.4",)"
        R"("signInEventTypes":["servicePrincipal"],"status":{"errorCode":7000215,"failureReason":"Invalid client secret"}}]})");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].who, "Backup job");
    EXPECT_EQ(events[0].object_type, "ServicePrincipal");
    EXPECT_EQ(events[0].action, "Failed Logon");
    EXPECT_EQ(events[0].error_code, 7000215);
}

TEST_F(SignInNormalizerTest, RecordsWithoutIdOrTimeAreSkippedWithAReason) {
    const auto events =
        normalize_page(R"({"value":[{"createdDateTime":"2026-01-01T00:00:00Z"},{"id":"x","createdDateTime":"soon"}]})");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].id, "skipped: the record has no id");
    EXPECT_EQ(events[1].id, "skipped: the record has no readable createdDateTime");
}

TEST_F(SignInNormalizerTest, RawIsEachRecordsBytesAndEscapedKeysAreRead) {
    const auto events = normalize_page(
        "{\"value\" : [ {\"id\":\"a\",\"createdDateTime\":\"2026-01-01T00:00:00Z\",\"app\\u0044isplayName\":\"x]},\"} "
        ",\n"
        " {\"id\":\"b\",\"createdDateTime\":\"2026-01-01T00:00:01Z\"}\n]}");
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].what, "x]},") << "appDisplayName, its key written with an escape";
    EXPECT_EQ(events[1].id, "b");
}

}  // namespace
}  // namespace vigil::connectors
