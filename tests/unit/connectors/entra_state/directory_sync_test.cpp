// Entra State's reading of the directory, fed Microsoft's documentation examples through a scripted host: the
// users and groups delta walkthroughs (a full round over three pages, a round without changes, a round with a
// change and removals), roles, applications, service principals and MFA registration.
#include "directory_sync.hpp"

#include "support/scripted_host.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <simdjson.h>

namespace vigil::connectors {
namespace {

std::string fixture(const std::string& name) {
    return test::graph_fixture(name);
}

// A property of a stored object's state, as JSON text.
std::string property(const test::ScriptedHost& host, const std::string& kind, const std::string& id,
                     const std::string& name) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    const std::string& json = host.state.at(kind).at(id).json;
    if (parser.parse(json).get(root) != simdjson::SUCCESS) return "<not JSON>";
    simdjson::dom::element value;
    if (root[name].get(value) != simdjson::SUCCESS) return "<missing>";
    return simdjson::to_string(value);
}

const char* const kUserPages[] = {"users_delta_walkthrough_1_initial_nextLink.json",
                                  "users_delta_walkthrough_2_nextLink.json",
                                  "users_delta_walkthrough_3_final_deltaLink.json"};
const char* const kGroupPages[] = {"groups_delta_walkthrough_1_initial_nextLink_members.json",
                                   "groups_delta_walkthrough_2_nextLink.json",
                                   "groups_delta_walkthrough_3_final_deltaLink.json"};

class DirectorySyncTest : public testing::Test {
protected:
    void SetUp() override { host_.state_begin(&snapshot_); }
    void full_user_round() {
        std::vector<std::string> pages;
        for (const char* name : kUserPages) pages.push_back(fixture(name));
        host_.answer("/v1.0/users/delta?$select=", pages);
    }
    void full_group_round() {
        std::vector<std::string> pages;
        for (const char* name : kGroupPages) pages.push_back(fixture(name));
        host_.answer("/v1.0/groups/delta?$select=", pages);
    }
    // The next run: a new snapshot over what the host stored, with a fresh model.
    void next_run() {
        host_.state_finish(vigil_str{nullptr, 0});
        host_.state_begin(&snapshot_);
        model_ = DirectoryModel();
    }

    test::ScriptedHost host_;
    vigil_state_snapshot snapshot_{sizeof(vigil_state_snapshot), 1'790'000'000'000, {nullptr, 0}};
    DirectoryModel model_;
    DirectorySync sync_{host_.host(), model_};
};

TEST_F(DirectorySyncTest, AFullUsersRoundStoresEveryUserAndKeepsTheDeltaLink) {
    full_user_round();
    std::string link;
    sync_.users(link);
    EXPECT_EQ(host_.state_ids("user").size(), 6u);
    EXPECT_EQ(property(host_, "user", "25dcffff-959e-4ece-9973-e5d9b800e8cc", "displayName"), "\"Testuser5\"");
    EXPECT_EQ(property(host_, "user", "25dcffff-959e-4ece-9973-e5d9b800e8cc", "accountEnabled"), "null")
        << "a property Graph did not send is null";
    EXPECT_EQ(link.rfind("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=", 0), 0u) << link;
    EXPECT_EQ(host_.state_calls.back(), "complete user") << "a full round removes users no longer listed";
    EXPECT_EQ(host_.requests[0].find("$select=userPrincipalName,displayName,accountEnabled"), 18u) << host_.requests[0];
}

TEST_F(DirectorySyncTest, ADeltaRoundAppliesChangesAndRemovalsOverTheStoredUsers) {
    full_user_round();
    std::string link;
    sync_.users(link);
    next_run();
    host_.answer("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=",
                 {fixture("users_delta_walkthrough_5_deltaLink_changes_removed.json")});
    const size_t calls_before = host_.state_calls.size();
    sync_.users(link);
    EXPECT_EQ(property(host_, "user", "25dcffff-959e-4ece-9973-e5d9b800e8cc", "displayName"), "\"Testuser7\"");
    EXPECT_EQ(host_.state_ids("user").size(), 6u) << "the removed user was never listed: nothing else changes";
    EXPECT_EQ(model_.users().size(), 6u) << "the model holds the stored users plus the changes";
    for (size_t i = calls_before; i < host_.state_calls.size(); ++i) {
        EXPECT_NE(host_.state_calls[i].rfind("complete", 0), 0u) << "a delta round completes nothing";
    }
    EXPECT_NE(link.find("$deltatoken=MF1LuFYbK6Lw4DtZ4o9PDrcGekRP65WEJfDmM0H26l4v"), std::string::npos)
        << "the round's new deltaLink: " << link;
}

TEST_F(DirectorySyncTest, AnExpiredDeltaTokenFallsBackToAFullRound) {
    full_user_round();
    std::string link;
    sync_.users(link);
    next_run();
    host_.fail("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=", VIGIL_ERR_EXPIRED,
               "410 Gone: syncStateNotFound");
    full_user_round();
    sync_.users(link);
    EXPECT_EQ(host_.requests.size(), 3u) << "the full round, the expired delta, the full round again";
    EXPECT_EQ(host_.state_calls.back(), "complete user");
    EXPECT_TRUE(host_.logged_containing("reading every user again"));
}

TEST_F(DirectorySyncTest, GroupsCarryTheirMembersAndADeltaRemovesAndAddsMembers) {
    full_group_round();
    std::string link;
    sync_.groups(link);
    EXPECT_EQ(host_.state_ids("group").size(), 6u);
    const auto members = host_.state_ids("group_member");
    EXPECT_EQ(members.size(), 5u) << "2 + 1 + 2 members@delta in the walkthrough";
    EXPECT_EQ(host_.state.at("group_member").begin()->second.object_type, "Group");
    EXPECT_EQ(property(host_, "group_member", members[0], "memberType"), "\"User\"");

    next_run();
    host_.answer("https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=",
                 {fixture("groups_delta_walkthrough_5_deltaLink_members_removed.json")});
    sync_.groups(link);
    const std::string group = "2e5807ce-58f3-4a94-9b37-ffff2e085957/";
    bool removed = false;
    for (const std::string& call : host_.state_calls) {
        removed = removed || call == "remove group_member/" + group + "632f6bb2-3ec8-4c1f-9073-0027a8c6859";
    }
    EXPECT_TRUE(removed);
    EXPECT_EQ(host_.state.at("group_member").count(group + "37de1ae3-408f-4702-8636-20824abda004"), 1u);
}

TEST_F(DirectorySyncTest, APageThatIsNotJsonFailsTheSnapshotNamingTheRequest) {
    // Microsoft's large-group example elides members with "<...more users here...>": not JSON, as published.
    host_.answer("/v1.0/groups/delta?$select=", {fixture("groups_delta_walkthrough_6_largegroup_page1.json")});
    std::string link;
    try {
        sync_.groups(link);
        FAIL() << "a page that is not JSON must not pass for a complete listing";
    } catch (const sdk::Error& error) {
        EXPECT_EQ(error.status(), VIGIL_ERR_UNAVAILABLE);
        EXPECT_NE(std::string(error.what()).find("GET /v1.0/groups/delta: a page is not valid JSON"), std::string::npos)
            << error.what();
    }
    EXPECT_TRUE(link.empty());
}

TEST_F(DirectorySyncTest, RolesApplicationsPrincipalsAndMfaRegistration) {
    host_.answer("/v1.0/directoryRoles", {fixture("directoryRoles_list_v1.json")});
    for (int i = 0; i < 10; ++i) host_.answer("/v1.0/directoryRoles/", {fixture("directoryRoles_members_v1.json")});
    sync_.roles();
    ASSERT_TRUE(model_.roles);
    EXPECT_FALSE(model_.roles->empty());
    EXPECT_EQ(host_.state_ids("role").size(), model_.roles->size());
    EXPECT_EQ(host_.state.at("role").begin()->second.object_type, "Role");
    EXPECT_TRUE(host_.state_ids("role_member").empty()) << "the documented member example has no id to key it by";

    host_.answer("/v1.0/applications", {fixture("applications_list_v1.json")});
    sync_.applications();
    ASSERT_TRUE(model_.applications);
    EXPECT_EQ(host_.state_ids("application"), std::vector<std::string>{"00000000-0000-0000-0000-000000000000"})
        << "the documented example has no object id: its application id keys it";
    EXPECT_EQ(property(host_, "application", "00000000-0000-0000-0000-000000000000", "passwordCredentials"), "[]");

    host_.answer("/v1.0/servicePrincipals", {fixture("servicePrincipals_list_v1.json")});
    sync_.service_principals();
    EXPECT_TRUE(host_.state_ids("service_principal").empty());
    EXPECT_TRUE(host_.logged_containing("a service principal record without an id was skipped ('amasf')"));

    host_.answer("/v1.0/reports/authenticationMethods/userRegistrationDetails",
                 {fixture("userRegistrationDetails_list_v1.json")});
    sync_.mfa_registrations();
    ASSERT_TRUE(model_.mfa);
    EXPECT_EQ(host_.state_ids("mfa_registration").size(), model_.mfa->size());
    const std::string first = host_.state_ids("mfa_registration").front();
    EXPECT_NE(property(host_, "mfa_registration", first, "isMfaRegistered"), "<missing>");
}

TEST_F(DirectorySyncTest, AnUnlicensedPartIsUnreadWithTheReasonAndKeepsItsStoredState) {
    host_.fail("/v1.0/reports/authenticationMethods/userRegistrationDetails", VIGIL_ERR_UNAVAILABLE,
               "tenant x needs an Entra ID P1 or P2 licence for this report");
    sync_.mfa_registrations();
    EXPECT_FALSE(model_.mfa);
    EXPECT_NE(model_.mfa_unread.reason.find("needs an Entra ID P1 or P2 licence"), std::string::npos);
    for (const std::string& call : host_.state_calls) EXPECT_NE(call, "complete mfa_registration");

    host_.answer("/v1.0/users?$select=id,signInActivity", {fixture("users_list_v1_signInActivity.json")});
    sync_.sign_in_activity();
    ASSERT_TRUE(model_.last_sign_in);
    EXPECT_FALSE(model_.last_sign_in->empty());
}

TEST(SyncCursor, RoundTripsAndAnythingElseMeansAFullSync) {
    const SyncCursor cursor{"https://g/v1.0/users/delta?$deltatoken=a\"b", "https://g/v1.0/groups/delta?$deltatoken=c"};
    const SyncCursor back = SyncCursor::parse(cursor.text());
    EXPECT_EQ(back.users, cursor.users);
    EXPECT_EQ(back.groups, cursor.groups);
    EXPECT_TRUE(SyncCursor::parse("").users.empty());
    EXPECT_TRUE(SyncCursor::parse("not json").groups.empty());
}

}  // namespace
}  // namespace vigil::connectors
