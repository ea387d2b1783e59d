// The Logons switches become the documented request forms: v1.0 for interactive sign-ins, beta with
// signInEventTypes for the others, errorCode eq 0 for successful-only, and failed-only picked out client-side.
#include "signin_query.hpp"

#include <gtest/gtest.h>

namespace vigil::connectors {
namespace {

const Window kWindow{1'767'225'600'000, 1'767'229'200'000};  // 00:00 to 01:00 on 2026-01-01

TEST(SignInQuery, InteractiveOnlyUsesV1) {
    SignInSelection selection;
    EXPECT_EQ(signin_request(selection, kWindow),
              "/v1.0/auditLogs/signIns?$top=1000&$filter=createdDateTime ge 2026-01-01T00:00:00Z and "
              "createdDateTime le 2026-01-01T01:00:00Z");
}

TEST(SignInQuery, SuccessfulOnlyFiltersOnErrorCodeZero) {
    SignInSelection selection;
    selection.failed = false;
    EXPECT_NE(signin_request(selection, kWindow).find(" and status/errorCode eq 0"), std::string::npos);
    EXPECT_TRUE(selection.keep(0));
    EXPECT_FALSE(selection.keep(50126));
}

TEST(SignInQuery, FailedOnlyIsPickedOutHereNotByGraph) {
    SignInSelection selection;
    selection.successful = false;
    EXPECT_EQ(signin_request(selection, kWindow).find("errorCode"), std::string::npos) << "no 'ne' sent to Graph";
    EXPECT_FALSE(selection.keep(0));
    EXPECT_TRUE(selection.keep(50126));
}

TEST(SignInQuery, OtherKindsGoThroughBeta) {
    SignInSelection selection;
    selection.page_size = 500;
    selection.non_interactive = true;
    selection.managed_identity = true;
    EXPECT_EQ(signin_request(selection, kWindow),
              "/beta/auditLogs/signIns?$top=500&$filter=createdDateTime ge 2026-01-01T00:00:00Z and createdDateTime "
              "le 2026-01-01T01:00:00Z and signInEventTypes/any(t: t eq 'interactiveUser' or t eq "
              "'nonInteractiveUser' or t eq 'managedIdentity')");
    selection.interactive = false;
    EXPECT_NE(signin_request(selection, kWindow).find("any(t: t eq 'nonInteractiveUser' or t eq 'managedIdentity')"),
              std::string::npos);
}

}  // namespace
}  // namespace vigil::connectors
