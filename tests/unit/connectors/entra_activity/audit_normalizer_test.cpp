// Microsoft's published directoryAudit samples, and the emulator's generated ones, normalized field by field.
#include "audit_normalizer.hpp"

#include "audit_data.hpp"
#include "graph_page.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>
#include <vigil/json_text.hpp>

namespace vigil::connectors {
namespace {

struct Normalized {
    std::string id, action, object_type, what, who, workstation, status, details, raw;
    int64_t time_ms = 0;
};

class AuditNormalizerTest : public testing::Test {
protected:
    // Every record of a list page (or the one object of a "get" sample), normalized.
    std::vector<Normalized> normalize_page(const std::string& json) {
        std::vector<Normalized> out;
        std::string error;
        const bool list = json.find("\"@odata.context\"") != std::string::npos || json.rfind("{\"value\"", 0) == 0;
        const std::string page = list ? json : R"({"value":[)" + json + "]}";
        if (!page_.parse(page, error)) {
            ADD_FAILURE() << error;
            return out;
        }
        for (size_t i = 0; i < page_.size(); ++i) {
            sdk::Event event;
            std::string why;
            if (!normalizer_.normalize(page_.record(i), page_.raw(i), event, why)) {
                ADD_FAILURE() << why;
                continue;
            }
            out.push_back(Normalized{std::string(event.id), std::string(event.action), std::string(event.object_type),
                                     std::string(event.what), std::string(event.who), std::string(event.workstation),
                                     std::string(event.status), std::string(event.details_json),
                                     std::string(event.raw_json), event.time_ms});
            EXPECT_TRUE(sdk::is_valid_json(event.details_json)) << event.details_json;
        }
        return out;
    }

    GraphPage page_;
    AuditNormalizer normalizer_;
};

TEST_F(AuditNormalizerTest, TheV1ListSampleAddMemberToGroup) {
    const auto events = normalize_page(test::graph_fixture("directoryAudits_list_v1.json"));
    ASSERT_EQ(events.size(), 1u);
    const Normalized& e = events[0];
    EXPECT_EQ(e.id, "id");
    EXPECT_EQ(e.time_ms, 1'515'532'802'721) << "2018-01-09T21:20:02.7215374Z";
    EXPECT_EQ(e.action, "Added") << "no operationType: from 'Add member to group'";
    EXPECT_EQ(e.object_type, "User") << "category UserManagement: the user target";
    EXPECT_EQ(e.what, "bob@contoso.com") << "no display name: the UPN";
    EXPECT_EQ(e.who, "bob@wingtiptoysonline.com");
    EXPECT_EQ(e.workstation, "127.0.0.1");
    EXPECT_EQ(e.status, "success");
    EXPECT_EQ(e.details, R"([{"name":"Activity","old":null,"new":"Add member to group"},)"
                         R"({"name":"Group","old":null,"new":"Example.com"},)"
                         R"({"name":"Action Client Name","old":null,"new":"DirectorySync"},)"
                         R"({"name":"Additional Detail Name","old":null,"new":"Additional Detail Value"}])");
    EXPECT_EQ(e.raw.front(), '{');
    EXPECT_EQ(e.raw.back(), '}');
    EXPECT_NE(e.raw.find("\"loggedByService\": \"Core Directory\""), std::string::npos) << "raw as received";
}

TEST_F(AuditNormalizerTest, OlderSamplesSpellTargetsDifferently) {
    // "targetResource" (singular) and "Type" in the v1.0 get sample.
    const auto get = normalize_page(test::graph_fixture("directoryAudit_get_v1.json"));
    ASSERT_EQ(get.size(), 1u);
    EXPECT_EQ(get[0].what, "example@contoso.com");
    EXPECT_EQ(get[0].object_type, "User");
    // Only "@odata.type": "#microsoft.graph.TargetResourceGroup" in the 2021 beta sample.
    const auto beta = normalize_page(test::graph_fixture("directoryAudits_list_beta_2021.json"));
    ASSERT_EQ(beta.size(), 1u);
    EXPECT_EQ(beta[0].object_type, "User");
    EXPECT_EQ(beta[0].what, "jdoe@contoso.com");
    EXPECT_NE(beta[0].details.find(R"({"name":"Group","old":null,"new":"Example.com"})"), std::string::npos)
        << beta[0].details;
}

TEST_F(AuditNormalizerTest, JsonEncodedOldAndNewValuesAreDecoded) {
    const auto events = normalize_page(test::graph_fixture("directoryAudits_list_beta_2022_single_object.json"));
    ASSERT_EQ(events.size(), 1u);
    const Normalized& e = events[0];
    EXPECT_EQ(e.action, "Modified");
    EXPECT_EQ(e.object_type, "User");
    EXPECT_EQ(e.what, "Test User");
    EXPECT_EQ(e.who, "tadmin@contoso.com");
    EXPECT_EQ(e.workstation, "") << "an empty ipAddress";
    EXPECT_EQ(e.details,
              R"([{"name":"Activity","old":null,"new":"Update user"},)"
              R"({"name":"StrongAuthenticationMethod","old":[{"MethodType":6,"Default":true},)"
              R"({"MethodType":7,"Default":false}],"new":[{"MethodType":7,"Default":false},)"
              R"({"MethodType":6,"Default":true},{"MethodType":0,"Default":false},{"MethodType":5,"Default":false}]},)"
              R"({"name":"TargetId.UserType","old":null,"new":"Member"},)"
              R"({"name":"UserType","old":null,"new":"Member"}])")
        << "arrays stay arrays, a JSON string becomes the string, 'Included Updated Properties' is left out";
}

TEST_F(AuditNormalizerTest, ARecordWithoutAnActorOrObjectSaysSo) {
    const auto events = normalize_page(test::graph_fixture("directoryAudits_list_v1_filter_initiatedBy_2024.json"));
    ASSERT_EQ(events.size(), 1u);
    const Normalized& e = events[0];
    EXPECT_EQ(e.action, "Modified");
    EXPECT_EQ(e.object_type, "Group") << "type N/A: the category decides";
    EXPECT_EQ(e.what, "") << "the zero GUID names nothing";
    EXPECT_EQ(e.who, "");
    EXPECT_EQ(e.workstation, "10.0.0.0");
}

TEST_F(AuditNormalizerTest, TheEmulatorsActivitiesMapToActionsAndObjects) {
    emulator::Tenant tenant;
    tenant.id = "12121212-1212-1212-1212-121212121212";
    tenant.domain = "woodgrove.example";
    const auto actors = emulator::generate_users(tenant, 30, 1'767'225'600'000);
    std::string page = R"({"value":[)";
    for (int n = 0; n < 10; ++n) {
        if (n > 0) page += ',';
        emulator::append_audit(page, tenant, n, 1'767'225'600'000 + n * 1000, actors);
    }
    page += "]}";
    const auto events = normalize_page(page);
    ASSERT_EQ(events.size(), 10u);
    const std::pair<const char*, const char*> expected[] = {
        {"Modified", "User"},        {"Added", "User"},   {"Added", "Group"},
        {"Removed", "Group"},        {"Added", "Role"},   {"Modified", "User"},
        {"Modified", "Application"}, {"Removed", "User"}, {"Added", "ServicePrincipal"},
        {"Modified", "Group"}};
    for (int n = 0; n < 10; ++n) {
        EXPECT_EQ(events[n].action, expected[n].first) << n;
        EXPECT_EQ(events[n].object_type, expected[n].second) << n;
    }
    EXPECT_EQ(events[2].what, "All Staff — Zürich & Co") << "the group, not the member";
    EXPECT_NE(events[2].details.find(R"({"name":"Member","old":null,"new":")"), std::string::npos);
    EXPECT_EQ(events[4].what, "Global Administrator") << "the role, from Role.DisplayName";
    EXPECT_EQ(events[3].who, "Microsoft Graph Command Line Tools") << "an application acted";
    EXPECT_NE(events[0].details.find(R"("old":"Sales","new":"Marketing \"EMEA\"")"), std::string::npos)
        << events[0].details;
    EXPECT_EQ(events[7].status, "failure");
    EXPECT_NE(events[7].details.find(R"({"name":"Failure reason","old":null,"new":"Insufficient privileges)"),
              std::string::npos);
}

TEST_F(AuditNormalizerTest, ARoleNamedWithEscapesIsDecodedNotStripped) {
    // Role.DisplayName is JSON inside a JSON string; a name with quotes in it is escaped twice.
    const auto events =
        normalize_page(R"({"value":[{"id":"r1","activityDateTime":"2026-01-01T00:00:00Z","category":"RoleManagement",)"
                       R"("activityDisplayName":"Add member to role","operationType":"Assign","result":"success",)"
                       R"("targetResources":[{"id":"u1","type":"User","userPrincipalName":"bob@contoso.example",)"
                       R"("modifiedProperties":[{"displayName":"Role.DisplayName","oldValue":null,)"
                       R"("newValue":"\"Tier \\\"0\\\" Admin\""}]}]}]})");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].object_type, "Role");
    EXPECT_EQ(events[0].what, "Tier \"0\" Admin");
    EXPECT_NE(events[0].details.find(R"({"name":"Role.DisplayName","old":null,"new":"Tier \"0\" Admin"})"),
              std::string::npos)
        << events[0].details;
}

TEST(AuditAction, OperationsThenActivityNames) {
    EXPECT_EQ(audit_action("Add", "Add user"), "Added");
    EXPECT_EQ(audit_action("Delete", "Delete user"), "Removed");
    EXPECT_EQ(audit_action("Update", "Update user"), "Modified");
    EXPECT_EQ(audit_action("Assign", "Add member to role"), "Added");
    EXPECT_EQ(audit_action("Unassign", "Remove member from group"), "Removed");
    EXPECT_EQ(audit_action("", "Restore user"), "Restored");
    EXPECT_EQ(audit_action("Other", "Hard delete user"), "Removed");
    EXPECT_EQ(audit_action("", "Reset password (by admin)"), "Modified");
    EXPECT_EQ(audit_action("", "Export"), "Export") << "nothing known: the activity's own name";
}

}  // namespace
}  // namespace vigil::connectors
