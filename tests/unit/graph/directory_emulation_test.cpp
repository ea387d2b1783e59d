// The emulator's directory listings behave as Graph documents them, seen through the real GraphClient: default
// properties and $select, page sizes, the filters connectors use (and 400 for others), licences and permissions,
// members and transitive members, unpaged directory roles, credentials, MFA registration, verified domains.
#include "emulator.hpp"
#include "graph/graph_client.hpp"
#include "support/emulator_source.hpp"
#include "support/test_support.hpp"
#include "util/rfc3339.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

namespace vigil::graph {
namespace {

using namespace std::chrono_literals;

const std::string kApp = "00000000-0000-0000-0000-00000000000a";
const std::string kUsersOnly = "00000000-0000-0000-0000-00000000000b";  // User.Read.All, no AuditLog.Read.All
const std::string kPremium = "77777777-7777-7777-7777-777777777777";
const std::string kFree = "88888888-8888-8888-8888-888888888888";
constexpr int kUsers = 250;

class DirectoryEmulation : public testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        emulator::Scenario scenario;
        for (const auto& [id, premium] : {std::pair{kPremium, true}, std::pair{kFree, false}}) {
            emulator::Tenant tenant;
            tenant.id = id;
            tenant.domain = "contoso.onmicrosoft.com";
            tenant.premium = premium;
            tenant.directory = {kUsers, 8, 6};
            emulator::Application limited(kUsersOnly, "s", false, "");
            limited.all_permissions = false;
            limited.permissions = {"User.Read.All"};
            tenant.applications = {emulator::Application(kApp, "s", false, ""), limited};
            scenario.tenants.push_back(tenant);
        }
        emulator_ = new emulator::GraphEmulator({dir_->file("emulator"), scenario, 0});
    }
    static void TearDownTestSuite() {
        delete emulator_;
        delete dir_;
    }

    test::Listing list(const std::string& path, const std::string& tenant = kPremium, const std::string& app = kApp) {
        GraphClient client(test::emulator_source(*emulator_, tenant, app, "s", "app-" + app), tokens_, limiter_,
                           RetryPolicy{2, 10ms, 20ms}, cancelled_);
        return test::list_all(client, path);
    }
    // The GraphError a request ends with (kind and message), or fails the test.
    GraphError failure_of(const std::string& path, const std::string& tenant = kPremium,
                          const std::string& app = kApp) {
        try {
            list(path, tenant, app);
        } catch (const GraphError& failure) {
            return failure;
        }
        ADD_FAILURE() << path << " succeeded";
        return GraphError(GraphError::Kind::unavailable, "");
    }
    static std::set<std::string> keys(const Poco::JSON::Object::Ptr& object) {
        std::set<std::string> names;
        for (const auto& [name, value] : *object) names.insert(name);
        return names;
    }
    template <typename Pick>
    static std::vector<std::string> users_where(Pick pick) {
        std::vector<std::string> ids;
        emulator_->directory(kPremium).read([&](const emulator::Directory& directory) {
            for (const auto& user : directory.users()) {
                if (pick(user)) ids.push_back(user.id);
            }
        });
        return ids;
    }

    static inline test::TempDir* dir_ = nullptr;
    static inline emulator::GraphEmulator* emulator_ = nullptr;
    TokenCache tokens_;
    RequestLimiter limiter_{1000, 1000ms};
    std::atomic<bool> cancelled_{false};
};

TEST_F(DirectoryEmulation, UsersComeWithGraphsDefaultPropertiesA100AtATime) {
    const test::Listing listed = list("/v1.0/users");
    EXPECT_EQ(listed.ids(), users_where([](const auto&) { return true; }));
    EXPECT_EQ(listed.page_sizes, (std::vector<size_t>{100, 100, 50}));
    EXPECT_EQ(keys(listed.records[0]), (std::set<std::string>{"id", "businessPhones", "displayName", "givenName",
                                                              "jobTitle", "mail", "mobilePhone", "officeLocation",
                                                              "preferredLanguage", "surname", "userPrincipalName"}))
        << "audit properties need $select";
    EXPECT_EQ(listed.records[0]->getValue<std::string>("displayName"), "Zoë \"Admin\" Åberg");
}

TEST_F(DirectoryEmulation, SelectGivesTheAskedPropertiesAndRefusesUnknownOnes) {
    const test::Listing listed =
        list("/v1.0/users?$select=accountEnabled,passwordPolicies,onPremisesSyncEnabled&$top=999");
    ASSERT_EQ(listed.records.size(), static_cast<size_t>(kUsers));
    EXPECT_EQ(keys(listed.records[0]),
              (std::set<std::string>{"id", "accountEnabled", "passwordPolicies", "onPremisesSyncEnabled"}));
    EXPECT_TRUE(listed.records[0]->isNull("onPremisesSyncEnabled")) << "never synced is null";
    EXPECT_EQ(listed.records[3]->getValue<std::string>("passwordPolicies"), "DisablePasswordExpiration");

    const GraphError failure = failure_of("/v1.0/users?$select=displayName,skills");
    EXPECT_EQ(failure.kind(), GraphError::Kind::bad_request);
    EXPECT_NE(std::string(failure.what()).find("Could not find a property named 'skills'"), std::string::npos)
        << failure.what();
    EXPECT_EQ(failure_of("/v1.0/users?$top=1000").kind(), GraphError::Kind::bad_request) << "at most 999";
}

TEST_F(DirectoryEmulation, SignInActivityNeedsAPremiumLicenceAndAuditLogReadAll) {
    const test::Listing listed = list("/v1.0/users?$select=displayName,signInActivity&$top=999");
    EXPECT_EQ(listed.page_sizes, (std::vector<size_t>{250})) << "one page: 250 is under the 500 cap";
    const auto never = listed.records[1]->getObject("signInActivity");
    EXPECT_EQ(never->getValue<std::string>("lastSignInDateTime"), "0001-01-01T00:00:00Z") << "user 1 never signed in";
    EXPECT_EQ(never->getValue<std::string>("lastSignInRequestId"), "");

    EXPECT_EQ(failure_of("/v1.0/users?$select=signInActivity", kFree).kind(), GraphError::Kind::licence);
    const GraphError denied = failure_of("/v1.0/users?$select=signInActivity", kPremium, kUsersOnly);
    EXPECT_EQ(denied.kind(), GraphError::Kind::permission);
    EXPECT_NE(std::string(denied.what()).find("grant the application permissions User.Read.All and AuditLog.Read.All"),
              std::string::npos)
        << denied.what();
    const GraphError groups = failure_of("/v1.0/groups", kPremium, kUsersOnly);
    EXPECT_NE(std::string(groups.what()).find("permission GroupMember.Read.All (or Directory.Read.All)"),
              std::string::npos)
        << groups.what();
    EXPECT_EQ(list("/v1.0/users?$select=accountEnabled", kPremium, kUsersOnly).records.size(),
              static_cast<size_t>(kUsers))
        << "User.Read.All is enough without signInActivity";
}

TEST_F(DirectoryEmulation, FiltersTheConnectorsUseAndRefusesOthers) {
    EXPECT_EQ(list("/v1.0/users?$filter=accountEnabled eq false").ids(),
              users_where([](const auto& user) { return !user.account_enabled; }));
    EXPECT_EQ(list("/v1.0/users?$filter=userType eq 'Guest'").ids(),
              users_where([](const auto& user) { return user.user_type == "Guest"; }));
    const int64_t cutoff = emulator::now_ms() - 30LL * 24 * 3600 * 1000;
    EXPECT_EQ(list("/v1.0/users?$select=signInActivity&$filter=signInActivity/lastSignInDateTime le "
                   "2000-01-01T00:00:00Z")
                  .ids(),
              users_where([](const auto& user) { return user.last_sign_in_ms == 0; }))
        << "never is 0001-01-01";
    EXPECT_EQ(list("/v1.0/users?$filter=signInActivity/lastSignInDateTime ge 2000-01-01T00:00:00Z").ids(),
              users_where([&](const auto& user) { return user.last_sign_in_ms > 0; }));
    EXPECT_FALSE(
        users_where([&](const auto& u) { return u.last_sign_in_ms > 0 && u.last_sign_in_ms < cutoff; }).empty())
        << "some accounts are stale";

    EXPECT_EQ(failure_of("/v1.0/users?$filter=displayName eq 'x'").kind(), GraphError::Kind::bad_request);
    EXPECT_EQ(failure_of("/v1.0/users?$filter=accountEnabled eq true and signInActivity/lastSignInDateTime le "
                         "2026-01-01T00:00:00Z")
                  .kind(),
              GraphError::Kind::bad_request)
        << "signInActivity is filtered alone";
}

TEST_F(DirectoryEmulation, MembersAndTransitiveMembersOfNestedGroups) {
    std::string tier0;
    std::string helpdesk;
    emulator_->directory(kPremium).read([&](const emulator::Directory& directory) {
        tier0 = directory.groups()[2].id;
        helpdesk = directory.groups()[3].id;
    });
    const test::Listing direct = list("/v1.0/groups/" + tier0 + "/members");
    ASSERT_EQ(direct.records.size(), 3u) << "users 0 and 1, and the nested group";
    EXPECT_EQ(direct.records[2]->getValue<std::string>("@odata.type"), "#microsoft.graph.group");
    EXPECT_EQ(direct.records[2]->getValue<std::string>("id"), helpdesk);
    EXPECT_EQ(direct.records[0]->getValue<std::string>("@odata.type"), "#microsoft.graph.user");

    const test::Listing transitive = list("/v1.0/groups/" + tier0 + "/transitiveMembers");
    EXPECT_EQ(transitive.records.size(), 5u) << "the nested group and its two members too";

    const GraphError missing = failure_of("/v1.0/groups/00000000-0000-0000-0000-000000000000/members");
    EXPECT_EQ(missing.kind(), GraphError::Kind::not_found);
}

TEST_F(DirectoryEmulation, DirectoryRolesAreUnpagedAndReachableByTemplate) {
    const test::Listing roles = list("/v1.0/directoryRoles");
    ASSERT_EQ(roles.records.size(), 5u);
    EXPECT_EQ(roles.records[0]->getValue<std::string>("roleTemplateId"), "62e90394-69f5-4237-9190-012177145e10");
    EXPECT_EQ(failure_of("/v1.0/directoryRoles?$top=2").kind(), GraphError::Kind::bad_request) << "no paging";

    const test::Listing admins =
        list("/v1.0/directoryRoles/roleTemplateId=62e90394-69f5-4237-9190-012177145e10/members");
    ASSERT_EQ(admins.records.size(), 3u);
    EXPECT_EQ(admins.records[2]->getValue<std::string>("userPrincipalName"),
              "guest9_example.com#EXT#@contoso.onmicrosoft.com")
        << "a guest Global Administrator, for the risks report";
    const test::Listing app_admins =
        list("/v1.0/directoryRoles/" + roles.records[3]->getValue<std::string>("id") + "/members");
    ASSERT_EQ(app_admins.records.size(), 2u);
    EXPECT_EQ(app_admins.records[1]->getValue<std::string>("@odata.type"), "#microsoft.graph.servicePrincipal");
}

TEST_F(DirectoryEmulation, ApplicationsAndServicePrincipalsCarryTheirCredentials) {
    const test::Listing apps =
        list("/v1.0/applications?$select=id,appId,displayName,passwordCredentials,keyCredentials");
    ASSERT_EQ(apps.records.size(), 6u);
    const auto expired = apps.records[0]->getArray("passwordCredentials")->getObject(0);
    std::string now;
    append_rfc3339_ms(
        now, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                 .count());
    EXPECT_LT(expired->getValue<std::string>("endDateTime"), now) << "app 0's secret has expired";
    EXPECT_EQ(apps.records[3]->getArray("keyCredentials")->getObject(0)->getValue<std::string>("type"),
              "AsymmetricX509Cert");
    EXPECT_TRUE(apps.records[0]->getArray("passwordCredentials")->getObject(0)->isNull("secretText"));

    const test::Listing principals = list("/v1.0/servicePrincipals");
    ASSERT_EQ(principals.records.size(), 8u) << "one per application, Microsoft Graph, a managed identity";
    EXPECT_EQ(principals.records[7]->getValue<std::string>("servicePrincipalType"), "ManagedIdentity");
}

TEST_F(DirectoryEmulation, RegistrationDetailsAreAReportWithItsOwnRules) {
    const test::Listing all = list("/v1.0/reports/authenticationMethods/userRegistrationDetails");
    EXPECT_EQ(all.records.size(), static_cast<size_t>(kUsers));
    EXPECT_TRUE(all.records[0]->getValue<bool>("isAdmin"));
    EXPECT_EQ(
        list("/v1.0/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered eq false").ids(),
        users_where([](const auto& user) { return !user.mfa_registered; }));
    EXPECT_EQ(failure_of("/v1.0/reports/authenticationMethods/userRegistrationDetails?$select=id").kind(),
              GraphError::Kind::bad_request)
        << "only $filter and $orderby";
    EXPECT_EQ(failure_of("/v1.0/reports/authenticationMethods/userRegistrationDetails", kFree).kind(),
              GraphError::Kind::licence);
}

TEST_F(DirectoryEmulation, TheOrganizationListsItsVerifiedDomains) {
    const test::Listing organization = list("/v1.0/organization");
    ASSERT_EQ(organization.records.size(), 1u);
    const auto domains = organization.records[0]->getArray("verifiedDomains");
    ASSERT_EQ(domains->size(), 2u);
    EXPECT_EQ(domains->getObject(0)->getValue<std::string>("name"), "contoso.onmicrosoft.com");
    EXPECT_TRUE(domains->getObject(0)->getValue<bool>("isDefault"));
}

}  // namespace
}  // namespace vigil::graph
