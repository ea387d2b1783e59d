// The OCSF and ECS mappings, field by field, for a logon, a directory change and a state change.
#include "outputs/event_format.hpp"

#include <gtest/gtest.h>

#include <vigil/json_text.hpp>

namespace vigil {
namespace {

constexpr int64_t kTime = 1'796'464'800'123;  // 2026-12-05T10:00:00.123Z

StoredEventView failed_logon() {
    StoredEventView event;
    event.id = "66ea54eb-6301-4ee5-be62-ff5a759b8100";
    event.time_ms = kTime;
    event.connector = "entra_logons";
    event.organization = "Contoso";
    event.source_group = "EU";
    event.tenant_id = "11111111-1111-1111-1111-111111111111";
    event.action = "Failed Logon";
    event.object_type = "User";
    event.what = "ann@contoso.com";
    event.who = "ann@contoso.com";
    event.where = "contoso.com";
    event.workstation = "203.0.113.7";
    event.status = "failure";
    event.details_json =
        R"({"application":"Azure Portal","client_app":"Browser","location":{"city":"Lyon","country":"FR"},)"
        R"("error_code":50126,"failure_reason":"Invalid username or password."})";
    return event;
}

StoredEventView group_created() {
    StoredEventView event;
    event.id = "Directory_0ATG1_25437463";
    event.time_ms = kTime;
    event.connector = "entra_activity";
    event.organization = "Contoso";
    event.tenant_id = "11111111-1111-1111-1111-111111111111";
    event.action = "Added";
    event.object_type = "Group";
    event.what = "Finance \"Core\"";
    event.who = "admin@contoso.com";
    event.where = "contoso.com";
    event.workstation = "198.51.100.4 (LAPTOP-1)";
    event.status = "success";
    event.details_json = R"([{"name":"displayName","old":null,"new":"Finance \"Core\""}])";
    return event;
}

StoredEventView application_changed_in_state() {
    StoredEventView event;
    event.id = "state-3f2a";
    event.time_ms = kTime;
    event.connector = "entra_state";
    event.organization = "Contoso";
    event.tenant_id = "11111111-1111-1111-1111-111111111111";
    event.action = "Modified";
    event.object_type = "Application";
    event.what = "Payroll";
    event.where = "contoso.com";
    event.status = "success";
    event.details_json = R"([{"name":"secrets","old":1,"new":2}])";
    return event;
}

std::string format(EventFormat format, const StoredEventView& event) {
    EventFormatter formatter;
    std::string out;
    formatter.append(out, format, event, "{\"native\":true}");
    EXPECT_TRUE(sdk::is_valid_json(out)) << out;
    return out;
}

TEST(EventFormat, NativeIsTheRecordAsItIs) {
    EXPECT_EQ(format(EventFormat::native, failed_logon()), "{\"native\":true}");
}

TEST(EventFormat, OcsfAuthenticationForAFailedLogon) {
    EXPECT_EQ(
        format(EventFormat::ocsf, failed_logon()),
        R"json({"category_uid":3,"category_name":"Identity & Access Management","class_uid":3002,)json"
        R"json("class_name":"Authentication","activity_id":1,"activity_name":"Logon","type_uid":300201,)json"
        R"json("type_name":"Authentication: Logon","time":1796464800123,"time_dt":"2026-12-05T10:00:00.123Z",)json"
        R"json("severity_id":2,"severity":"Low","status_id":2,"status":"Failure","status_code":"50126",)json"
        R"json("status_detail":"Invalid username or password.","message":"Failed Logon: ann@contoso.com",)json"
        R"json("metadata":{"version":"1.1.0","uid":"66ea54eb-6301-4ee5-be62-ff5a759b8100",)json"
        R"json("log_name":"entra_logons","product":{"name":"Vigil","vendor_name":"Vigil"}},)json"
        R"json("cloud":{"provider":"Azure","account":{"uid":"11111111-1111-1111-1111-111111111111",)json"
        R"json("name":"contoso.com"},"org":{"name":"Contoso"}},"user":{"name":"ann@contoso.com"},)json"
        R"json("service":{"name":"Azure Portal"},"src_endpoint":{"ip":"203.0.113.7","location":{"country":"FR",)json"
        R"json("city":"Lyon"}},"unmapped":{"connector":"entra_logons","organization":"Contoso","source_group":"EU",)json"
        R"json("action":"Failed Logon","object_type":"User","details":{"application":"Azure Portal",)json"
        R"json("client_app":"Browser","location":{"city":"Lyon","country":"FR"},"error_code":50126,)json"
        R"json("failure_reason":"Invalid username or password."}}})json");
}

TEST(EventFormat, OcsfGroupManagementForAGroupCreated) {
    EXPECT_EQ(
        format(EventFormat::ocsf, group_created()),
        R"json({"category_uid":3,"category_name":"Identity & Access Management","class_uid":3006,)json"
        R"json("class_name":"Group Management","activity_id":6,"activity_name":"Create","type_uid":300606,)json"
        R"json("type_name":"Group Management: Create","time":1796464800123,"time_dt":"2026-12-05T10:00:00.123Z",)json"
        R"json("severity_id":1,"severity":"Informational","status_id":1,"status":"Success",)json"
        R"json("message":"Added Group: Finance \"Core\"","metadata":{"version":"1.1.0",)json"
        R"json("uid":"Directory_0ATG1_25437463","log_name":"entra_activity","product":{"name":"Vigil",)json"
        R"json("vendor_name":"Vigil"}},"cloud":{"provider":"Azure",)json"
        R"json("account":{"uid":"11111111-1111-1111-1111-111111111111","name":"contoso.com"},)json"
        R"json("org":{"name":"Contoso"}},"actor":{"user":{"name":"admin@contoso.com"}},)json"
        R"json("src_endpoint":{"ip":"198.51.100.4","name":"198.51.100.4 (LAPTOP-1)"},)json"
        R"json("group":{"name":"Finance \"Core\""},"unmapped":{"connector":"entra_activity",)json"
        R"json("organization":"Contoso","action":"Added","object_type":"Group","details":[{"name":"displayName",)json"
        R"json("old":null,"new":"Finance \"Core\""}]}})json");
}

TEST(EventFormat, OcsfEntityManagementForAnApplicationChangedBetweenSnapshots) {
    EXPECT_EQ(
        format(EventFormat::ocsf, application_changed_in_state()),
        R"json({"category_uid":3,"category_name":"Identity & Access Management","class_uid":3004,)json"
        R"json("class_name":"Entity Management","activity_id":3,"activity_name":"Update","type_uid":300403,)json"
        R"json("type_name":"Entity Management: Update","time":1796464800123,"time_dt":"2026-12-05T10:00:00.123Z",)json"
        R"json("severity_id":1,"severity":"Informational","status_id":1,"status":"Success",)json"
        R"json("message":"Modified Application: Payroll","metadata":{"version":"1.1.0","uid":"state-3f2a",)json"
        R"json("log_name":"entra_state","product":{"name":"Vigil","vendor_name":"Vigil"}},)json"
        R"json("cloud":{"provider":"Azure","account":{"uid":"11111111-1111-1111-1111-111111111111",)json"
        R"json("name":"contoso.com"},"org":{"name":"Contoso"}},"entity":{"name":"Payroll","type":"Application"},)json"
        R"json("unmapped":{"connector":"entra_state","organization":"Contoso","action":"Modified",)json"
        R"json("object_type":"Application","details":[{"name":"secrets","old":1,"new":2}]}})json");
}

TEST(EventFormat, EcsAuthenticationForAFailedLogon) {
    EXPECT_EQ(
        format(EventFormat::ecs, failed_logon()),
        R"json({"@timestamp":"2026-12-05T10:00:00.123Z","message":"Failed Logon: ann@contoso.com",)json"
        R"json("event":{"id":"66ea54eb-6301-4ee5-be62-ff5a759b8100","kind":"event","category":["authentication"],)json"
        R"json("type":["start"],"action":"Failed Logon","outcome":"failure",)json"
        R"json("reason":"Invalid username or password.","module":"vigil","dataset":"vigil.entra_logons"},)json"
        R"json("error":{"code":"50126"},"source":{"ip":"203.0.113.7","address":"203.0.113.7",)json"
        R"json("geo":{"country_iso_code":"FR","city_name":"Lyon"}},"user":{"name":"ann@contoso.com"},)json"
        R"json("cloud":{"provider":"azure","account":{"id":"11111111-1111-1111-1111-111111111111",)json"
        R"json("name":"contoso.com"}},"organization":{"name":"Contoso"},"observer":{"vendor":"Vigil",)json"
        R"json("product":"Vigil","type":"audit collector"},"vigil":{"connector":"entra_logons","source_group":"EU",)json"
        R"json("object_type":"User","what":"ann@contoso.com","application":"Azure Portal",)json"
        R"json("details":{"application":"Azure Portal","client_app":"Browser","location":{"city":"Lyon",)json"
        R"json("country":"FR"},"error_code":50126,"failure_reason":"Invalid username or password."}}})json");
}

TEST(EventFormat, EcsIamForAGroupCreated) {
    EXPECT_EQ(
        format(EventFormat::ecs, group_created()),
        R"json({"@timestamp":"2026-12-05T10:00:00.123Z","message":"Added Group: Finance \"Core\"",)json"
        R"json("event":{"id":"Directory_0ATG1_25437463","kind":"event","category":["iam"],"type":["creation",)json"
        R"json("group"],"action":"Added","outcome":"success","module":"vigil","dataset":"vigil.entra_activity"},)json"
        R"json("source":{"ip":"198.51.100.4","address":"198.51.100.4 (LAPTOP-1)"},)json"
        R"json("user":{"name":"admin@contoso.com","target":{"group":{"name":"Finance \"Core\""}}},)json"
        R"json("cloud":{"provider":"azure","account":{"id":"11111111-1111-1111-1111-111111111111",)json"
        R"json("name":"contoso.com"}},"organization":{"name":"Contoso"},"observer":{"vendor":"Vigil",)json"
        R"json("product":"Vigil","type":"audit collector"},"vigil":{"connector":"entra_activity",)json"
        R"json("object_type":"Group","what":"Finance \"Core\"","details":[{"name":"displayName","old":null,)json"
        R"json("new":"Finance \"Core\""}]}})json");
}

TEST(EventFormat, EcsIamForAnApplicationChangedBetweenSnapshots) {
    EXPECT_EQ(
        format(EventFormat::ecs, application_changed_in_state()),
        R"json({"@timestamp":"2026-12-05T10:00:00.123Z","message":"Modified Application: Payroll",)json"
        R"json("event":{"id":"state-3f2a","kind":"event","category":["iam"],"type":["change"],"action":"Modified",)json"
        R"json("outcome":"success","module":"vigil","dataset":"vigil.entra_state"},"cloud":{"provider":"azure",)json"
        R"json("account":{"id":"11111111-1111-1111-1111-111111111111","name":"contoso.com"}},)json"
        R"json("organization":{"name":"Contoso"},"observer":{"vendor":"Vigil","product":"Vigil",)json"
        R"json("type":"audit collector"},"vigil":{"connector":"entra_state","object_type":"Application",)json"
        R"json("what":"Payroll","details":[{"name":"secrets","old":1,"new":2}]}})json");
}

TEST(EventFormat, OcsfClassesFollowTheObjectType) {
    StoredEventView event = group_created();
    const auto class_and_activity = [&](std::string_view object_type, std::string_view action) {
        event.object_type = object_type;
        event.action = action;
        const std::string out = format(EventFormat::ocsf, event);
        const size_t type = out.find("\"type_uid\":");
        return out.substr(type + 11, out.find(',', type) - type - 11);
    };
    EXPECT_EQ(class_and_activity("User", "Added"), "300101");
    EXPECT_EQ(class_and_activity("User", "Removed"), "300106");
    EXPECT_EQ(class_and_activity("User", "Modified"), "300199");
    EXPECT_EQ(class_and_activity("Group", "Removed"), "300605");
    EXPECT_EQ(class_and_activity("Role", "Added"), "300501");
    EXPECT_EQ(class_and_activity("Role", "Removed"), "300502");
    EXPECT_EQ(class_and_activity("Device", "Added"), "300401");
    EXPECT_EQ(class_and_activity("Policy", "Modified"), "300403");
    EXPECT_EQ(class_and_activity("ServicePrincipal", "Removed"), "300404");
    EXPECT_EQ(class_and_activity("Application", "Restored"), "300499");
}

TEST(EventFormat, RawGoesToTheSchemasOriginalEventField) {
    StoredEventView event = failed_logon();
    event.raw_json = R"({"id":"x"})";
    EXPECT_NE(format(EventFormat::ocsf, event).find(R"("raw_data":"{\"id\":\"x\"}")"), std::string::npos);
    EXPECT_NE(format(EventFormat::ecs, event).find(R"("original":"{\"id\":\"x\"}")"), std::string::npos);
}

TEST(EventFormat, NamesAreTheSettingsValues) {
    EventFormat parsed{};
    EXPECT_TRUE(parse_event_format("ocsf", parsed));
    EXPECT_EQ(parsed, EventFormat::ocsf);
    EXPECT_TRUE(parse_event_format("ecs", parsed));
    EXPECT_EQ(parsed, EventFormat::ecs);
    EXPECT_FALSE(parse_event_format("cef", parsed));
}

}  // namespace
}  // namespace vigil
