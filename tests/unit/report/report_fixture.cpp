#include "unit/report/report_fixture.hpp"

#include "report/event_reports.hpp"
#include "report/state_report.hpp"
#include "store/state_store.hpp"
#include "util/json_text.hpp"

#include <sstream>
#include <vector>

namespace vigil::test::reports {

namespace {

constexpr const char* kContoso = "11111111-1111-4111-8111-111111111111";
constexpr const char* kFabrikam = "22222222-2222-4222-8222-222222222222";

StoredEventView event(const char* connector, const char* organization, const char* tenant, const char* where,
                      const char* id, int64_t hours_ago, const char* action, const char* object_type, const char* what,
                      const char* who, const char* workstation, const char* status, const char* details) {
    StoredEventView view;
    view.connector = connector;
    view.organization = organization;
    view.source_group = "Cloud";
    view.tenant_id = tenant;
    view.id = id;
    view.time_ms = kNowMs - hours_ago * kHourMs - 1'000 * static_cast<int64_t>(std::string_view(id).size());
    view.action = action;
    view.object_type = object_type;
    view.what = what;
    view.who = who;
    view.where = where;
    view.workstation = workstation;
    view.status = status;
    view.details_json = details;
    return view;
}

std::string risk(const char* title, const char* level, const char* value, const std::vector<std::string>& objects) {
    std::string out = std::string("{\"title\":\"") + title + "\",\"level\":\"" + level + "\",\"value\":" + value +
                      ",\"unit\":\"count\",\"count\":" + std::to_string(objects.size()) + ",\"objects\":[";
    for (size_t i = 0; i < objects.size(); ++i) {
        if (i > 0) out += ',';
        append_json_string(out, objects[i]);
    }
    return out + "],\"objects_total\":" + std::to_string(objects.size()) + "}";
}

}  // namespace

void fill_event_store(EventDatabase& store) {
    const std::string multi_line_details =
        std::string(R"([{"name":"Activity","old":null,"new":"Update user"},{"name":"Notes","old":"before","new":)") +
        "\"line one\\nline two\\r\\nline three\"}]";
    const std::string hostile_logon =
        std::string(R"({"application":"<b>App</b>","client_app":"Browser","location":{"city":"Z\u00fcrich",)") +
        R"("country":"CH"},"device":{"operating_system":"Windows 11"},"error_code":50126,)" +
        R"("failure_reason":"Invalid username or password, \"again\""})";
    const std::vector<StoredEventView> events = {
        event("entra_activity", "Contoso", kContoso, "contoso.com", "a1", 1, "Added", "User", "ann@contoso.com",
              "admin@contoso.com", "203.0.113.10", "success",
              R"([{"name":"Activity","old":null,"new":"Add user"},{"name":"DisplayName","old":null,"new":"Ann"}])"),
        event("entra_activity", "Contoso", kContoso, "contoso.com", "a2", 3, "Modified", "Group", kHtmlWhat,
              "admin@contoso.com", "203.0.113.10", "success",
              R"([{"name":"Description","old":"Sales","new":"Sales, \"EMEA\""}])"),
        event("entra_activity", "Contoso", kContoso, "contoso.com", "a3", 26, "Removed", "User", kUnicode, kFormulaWho,
              kAtFormula, "success", R"([{"name":"Activity","old":null,"new":"Delete user"}])"),
        event("entra_activity", "Fabrikam", kFabrikam, "fabrikam.com", "a4", 50, "Modified", "User", "bob@fabrikam.com",
              "Provisioning App", "", "failure", multi_line_details.c_str()),
        event("entra_activity", "Fabrikam", kFabrikam, "fabrikam.com", "a5", 120, kTerminalEscape, "Role",
              "Global Administrator", kPlusFormula, "198.51.100.7", "success",
              R"([{"name":"Role.DisplayName","old":null,"new":"Global Administrator"}])"),
        event(
            "entra_logons", "Contoso", kContoso, "contoso.com", "l1", 2, "Successful Logon", "User", "ann@contoso.com",
            "ann@contoso.com", "203.0.113.10", "success",
            R"({"application":"Outlook","client_app":"Browser","device":{"name":"LAPTOP-1","operating_system":"Windows 11","browser":"Edge 120"},"location":{"city":"Seattle","state":"Washington","country":"US"},"error_code":0})"),
        event(
            "entra_logons", "Contoso", kContoso, "contoso.com", "l2", 4, "Failed Logon", "User", "ann@contoso.com",
            "ann@contoso.com", "198.51.100.7", "failure",
            R"({"application":"Outlook","client_app":"Mobile Apps and Desktop clients","location":{"city":"Lagos","country":"NG"},"error_code":50126,"failure_reason":"Invalid username or password"})"),
        event(
            "entra_logons", "Contoso", kContoso, "contoso.com", "l3", 4, "Failed Logon", "User", "bob@contoso.com",
            "bob@contoso.com", "198.51.100.7", "failure",
            R"({"application":"Outlook","location":{"country":"NG"},"error_code":50053,"failure_reason":"Account is locked"})"),
        event("entra_logons", "Contoso", kContoso, "contoso.com", "l4", 30, "Successful Logon", "User",
              "ann@contoso.com", "ann@contoso.com", "203.0.113.10", "success",
              R"({"application":"Teams","location":{"city":"Seattle","country":"US"},"error_code":0})"),
        event("entra_logons", "Fabrikam", kFabrikam, "fabrikam.com", "l5", 5, "Failed Logon", "User", kFormulaWho,
              kFormulaWho, "-1+2", "failure", hostile_logon.c_str()),
        event(
            "entra_logons", "Fabrikam", kFabrikam, "fabrikam.com", "l6", 7, "Failed Logon", "User",
            "carol@fabrikam.com", "carol@fabrikam.com", "198.51.100.7", "failure",
            R"({"application":"Azure Portal","location":{"city":"Lagos","country":"NG"},"error_code":50126,"failure_reason":"Invalid username or password"})"),
    };
    store.insert(events);
}

void fill_state_stores(const std::string& data_dir) {
    const StateSource contoso{"Contoso", "Cloud", kContoso};
    const StateSource fabrikam{"Fabrikam", "Cloud", kFabrikam};
    const int64_t first_ms = kNowMs - 48 * kHourMs;
    const int64_t second_ms = kNowMs - 2 * kHourMs;
    {
        StateStore store(StateStore::path_for(data_dir, contoso), contoso, false);
        store.begin(first_ms, "contoso.com");
        store.put({"user", "u1", "User", "ann@contoso.com", R"({"accountEnabled":true,"department":"Sales"})"});
        store.put({"user", "u2", "User", kFormulaWho, R"({"accountEnabled":true,"department":"<b>IT</b>"})"});
        store.put({"group", "g1", "Group", "Admins, \"core\"", R"({"securityEnabled":true})"});
        store.put({"group_member", "g1/u1", "User", "Admins, \"core\" / ann@contoso.com", R"({"member":"ann"})"});
        store.put({"risk", "admins", "Risk", "Accounts with administrative roles",
                   risk("Accounts with administrative roles", "medium", "2", {"ann@contoso.com", "root"})});
        store.put({"risk", "no_mfa", "Risk", "Users with no MFA registered",
                   risk("Users with no MFA registered", "low", "1", {"ann@contoso.com"})});
        store.finish("");
        store.begin(second_ms, "contoso.com");
        store.put({"user", "u1", "User", "ann@contoso.com", R"({"accountEnabled":false,"department":"Sales"})"});
        store.put({"user", "u3", "User", kUnicode, R"({"accountEnabled":true,"department":null})"});
        store.put({"group", "g1", "Group", "Admins, \"core\"", R"({"securityEnabled":true})"});
        store.put({"group_member", "g1/u1", "User", "Admins, \"core\" / ann@contoso.com", R"({"member":"ann"})"});
        store.put({"risk", "admins", "Risk", "Accounts with administrative roles",
                   risk("Accounts with administrative roles", "high", "3", {"ann@contoso.com", "root", kFormulaWho})});
        store.put({"risk", "no_mfa", "Risk", "Users with no MFA registered",
                   risk("Users with no MFA registered", "low", "1", {"ann@contoso.com"})});
        store.put(
            {"risk", "inactive", "Risk", "Inactive user accounts",
             R"({"title":"Inactive user accounts","level":"unknown","value":null,"reason":"needs Entra ID P1: sign-in activity is a premium property"})"});
        store.finish("");
    }
    {
        StateStore store(StateStore::path_for(data_dir, fabrikam), fabrikam, false);
        store.begin(second_ms, "fabrikam.com");
        store.put({"user", "f1", "User", "carol@fabrikam.com", R"({"accountEnabled":true})"});
        store.put({"application", "app1", "Application", "Payroll <Prod>",
                   R"({"credentials":[{"type":"secret","end":"2027-01-01T00:00:00Z"}]})"});
        store.put({"risk", "admins", "Risk", "Accounts with administrative roles",
                   risk("Accounts with administrative roles", "low", "1", {"carol@fabrikam.com"})});
        store.finish("");
    }
}

FixedReports::FixedReports() : store_(std::make_unique<EventStore>(dir_.file("events.db"), false)) {
    fill_event_store(*store_);
    fill_state_stores(dir_.path().string());
}

Report FixedReports::build(const std::string& kind, size_t row_limit, const std::string& organization) const {
    if (kind == "activity" || kind == "logons") {
        EventReportRequest request;
        request.now_ms = kNowMs;
        request.row_limit = row_limit;
        request.query.since_ms = kNowMs - 7 * 24 * kHourMs;
        request.query.organization = organization;
        return kind == "activity" ? activity_report(*store_, request) : logons_report(*store_, request);
    }
    StateReportOptions options;
    options.data_dir = dir_.path().string();
    options.now_ms = kNowMs;
    options.at_ms = kNowMs;
    options.row_limit = row_limit;
    options.organization = organization;
    if (kind == "state") {
        options.since_ms = kNowMs - 24 * kHourMs;
        return state_report(options);
    }
    return risks_report(options);
}

std::string FixedReports::render(const std::string& kind, ReportFormat format, size_t row_limit) const {
    std::ostringstream out;
    render_report(build(kind, row_limit), format, 120, out);
    return out.str();
}

}  // namespace vigil::test::reports
