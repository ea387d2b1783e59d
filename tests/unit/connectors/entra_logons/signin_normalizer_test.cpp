// Microsoft's published signIn samples normalized field by field; the ones invalid as published are refused
// cleanly; the emulator's sign-ins of every kind.
#include "signin_normalizer.hpp"

#include "graph_page.hpp"
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
        std::vector<Normalized> out;
        std::string error;
        if (!page_.parse(test::graph_fixture(name), error)) {
            ADD_FAILURE() << name << ": " << error;
            return out;
        }
        for (size_t i = 0; i < page_.size(); ++i) {
            sdk::Event event;
            std::string why;
            int64_t code = -1;
            if (!normalizer_.normalize(page_.record(i), page_.raw(i), event, code, why)) {
                ADD_FAILURE() << why;
                continue;
            }
            EXPECT_TRUE(sdk::is_valid_json(event.details_json)) << event.details_json;
            EXPECT_EQ(event.raw_json, page_.raw(i));
            out.push_back(Normalized{std::string(event.id), std::string(event.action), std::string(event.object_type),
                                     std::string(event.what), std::string(event.who), std::string(event.workstation),
                                     std::string(event.status), std::string(event.details_json), event.time_ms, code});
        }
        return out;
    }

    GraphPage page_;
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

TEST_F(SignInNormalizerTest, SamplesInvalidAsPublishedAreRefusedCleanly) {
    for (const char* name : {"signIns_list_v1.json", "signIns_list_v1_filter_startswith_nextLink.json",
                             "signIns_list_beta_2021_ex1.json"}) {
        std::string error;
        EXPECT_FALSE(page_.parse(test::graph_fixture(name), error)) << name;
        EXPECT_NE(error.find("not valid JSON"), std::string::npos) << name << ": " << error;
    }
}

TEST_F(SignInNormalizerTest, ServicePrincipalsAreWhoWhenThereIsNoUser) {
    const std::string page =
        R"({"value":[{"id":"sp-1","createdDateTime":"2026-01-01T00:00:00Z","userPrincipalName":"",)"
        R"("servicePrincipalName":"Backup job","appDisplayName":"Backup job","ipAddress":"198.51.100.4",)"
        R"("signInEventTypes":["servicePrincipal"],"status":{"errorCode":7000215,"failureReason":"Invalid client secret"}}]})";
    std::string error;
    ASSERT_TRUE(page_.parse(page, error)) << error;
    sdk::Event event;
    int64_t code = 0;
    ASSERT_TRUE(normalizer_.normalize(page_.record(0), page_.raw(0), event, code, error));
    EXPECT_EQ(event.who, "Backup job");
    EXPECT_EQ(event.object_type, "ServicePrincipal");
    EXPECT_EQ(event.action, "Failed Logon");
    EXPECT_EQ(code, 7000215);
}

TEST_F(SignInNormalizerTest, RecordsWithoutIdOrTimeAreSkippedWithAReason) {
    std::string error;
    ASSERT_TRUE(page_.parse(
        R"({"value":[{"createdDateTime":"2026-01-01T00:00:00Z"},{"id":"x","createdDateTime":"soon"}]})", error));
    sdk::Event event;
    int64_t code = 0;
    std::string why;
    EXPECT_FALSE(normalizer_.normalize(page_.record(0), page_.raw(0), event, code, why));
    EXPECT_EQ(why, "the record has no id");
    EXPECT_FALSE(normalizer_.normalize(page_.record(1), page_.raw(1), event, code, why));
    EXPECT_EQ(why, "the record has no readable createdDateTime");
}

}  // namespace
}  // namespace vigil::connectors
