#include "outputs/syslog_message.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

constexpr int64_t kTime = 1'796'464'800'123;  // 2026-12-05T10:00:00.123Z

SyslogMessageFormat format_of(SyslogMessageFormat::Body body) {
    SyslogMessageFormat format;
    format.body = body;
    format.facility = syslog_facility("local0");
    format.hostname = "collector-1";
    format.app_name = "vigil";
    format.process_id = "42";
    format.product_version = "1.0.0";
    return format;
}

StoredEventView activity_event() {
    StoredEventView event;
    event.id = "e1";
    event.time_ms = kTime;
    event.connector = "entra_activity";
    event.organization = "Contoso";
    event.source_group = "EU";
    event.tenant_id = "t1";
    event.action = "Added";
    event.object_type = "User";
    event.what = "Ann | Bob=1\\x\nY";
    event.who = "admin@contoso.com";
    event.where = "contoso.com";
    event.workstation = "203.0.113.7 (LAPTOP-1)";
    event.status = "success";
    event.details_json = R"([{"name":"a=b"}])";
    return event;
}

TEST(SyslogMessage, IsAnRfc5424HeaderThenTheRecordWithTheSeverityOfItsStatus) {
    StoredEventView event = activity_event();
    event.connector = "entra_logons";
    event.status = "failure";
    std::string out;
    append_syslog_message(out, format_of(SyslogMessageFormat::Body::json), event, R"({"id":"e1"})");
    // local0 (16) * 8 + warning (4)
    EXPECT_EQ(out, R"(<132>1 2026-12-05T10:00:00.123Z collector-1 vigil 42 entra_logons - {"id":"e1"})");
    out.clear();
    event.status = "success";  // informational (6)
    append_syslog_message(out, format_of(SyslogMessageFormat::Body::json), event, "{}");
    EXPECT_EQ(out, "<134>1 2026-12-05T10:00:00.123Z collector-1 vigil 42 entra_logons - {}");
}

TEST(SyslogMessage, CefCarriesEveryFieldEscapedForItsPlace) {
    std::string out;
    append_cef(out, format_of(SyslogMessageFormat::Body::cef), activity_event());
    EXPECT_EQ(out,
              "CEF:0|Vigil|Vigil Entra ID Auditing Agent|1.0.0|entra_activity:Added|Added User|3|"
              "rt=1796464800123 externalId=e1 cat=entra_activity act=Added outcome=success suser=admin@contoso.com "
              "src=203.0.113.7 dvchost=contoso.com cs1Label=organization cs1=Contoso cs2Label=tenantId cs2=t1 "
              "cs3Label=objectType cs3=User cs4Label=what cs4=Ann | Bob\\=1\\\\x\\nY cs5Label=sourceGroup cs5=EU "
              "cs6Label=workstation cs6=203.0.113.7 (LAPTOP-1) msg=[{\"name\":\"a\\=b\"}]");
}

TEST(SyslogMessage, CefHeaderEscapesPipesAndBackslashesAndLeavesOutEmptyExtensions) {
    StoredEventView event;
    event.id = "x";
    event.time_ms = kTime;
    event.connector = "entra_logons";
    event.action = "Failed|Logon\\";
    event.status = "failure";
    event.workstation = "not-an-ip";
    std::string out;
    append_cef(out, format_of(SyslogMessageFormat::Body::cef), event);
    EXPECT_EQ(out,
              "CEF:0|Vigil|Vigil Entra ID Auditing Agent|1.0.0|entra_logons:Failed\\|Logon\\\\|Failed\\|Logon\\\\|5|"
              "rt=1796464800123 externalId=x cat=entra_logons act=Failed|Logon\\\\ outcome=failure "
              "cs6Label=workstation cs6=not-an-ip");
}

TEST(SyslogMessage, AFailedLogonIsNamedByItsActionAlone) {
    StoredEventView event = activity_event();
    event.connector = "entra_logons";
    event.action = "Failed Logon";
    event.status = "failure";
    std::string out;
    append_cef(out, format_of(SyslogMessageFormat::Body::cef), event);
    EXPECT_TRUE(
        out.starts_with("CEF:0|Vigil|Vigil Entra ID Auditing Agent|1.0.0|entra_logons:Failed Logon|Failed "
                        "Logon|5|"))
        << out;
}

TEST(SyslogMessage, FacilitiesAreNamedOrNumbered) {
    EXPECT_EQ(syslog_facility("kern"), 0);
    EXPECT_EQ(syslog_facility("auth"), 4);
    EXPECT_EQ(syslog_facility("local7"), 23);
    EXPECT_EQ(syslog_facility("13"), 13);
    EXPECT_EQ(syslog_facility("24"), -1);
    EXPECT_EQ(syslog_facility("local8"), -1);
    EXPECT_EQ(syslog_facility(""), -1);
}

TEST(SyslogMessage, HeaderFieldsArePrintableAsciiWithoutSpacesAndCut) {
    EXPECT_EQ(syslog_header_field("host name\twith", 8), "host_nam");
    EXPECT_EQ(syslog_header_field("h\xc3\xa9te", 48), "h__te");
    EXPECT_EQ(syslog_header_field("", 48), "-");
}

}  // namespace
}  // namespace vigil
