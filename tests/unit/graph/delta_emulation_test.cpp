// The emulator's users/delta and groups/delta behave as Graph documents them (graph-api.md section 3.2), seen
// through the real GraphClient: a full first round ending in a deltaLink, then only what changed (removed objects
// as @removed, members@delta with removals), large groups split across entries, $deltatoken=latest, refused query
// options, and expired or reset delta tokens told apart as expired links. Also Graph's own limits, enforced.
#include "emulator.hpp"
#include "graph/graph_client.hpp"
#include "support/emulator_source.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>


#include <map>
#include <set>
#include <thread>

namespace vigil::graph {
namespace {

using namespace std::chrono_literals;

const std::string kApp = "00000000-0000-0000-0000-00000000000a";

class DeltaEmulation : public testing::Test {
protected:
    // Each test gets its own emulator: they change the directory.
    void SetUp() override {
        emulator::Scenario scenario;
        emulator::Tenant tenant;
        tenant.id = "99999999-9999-9999-9999-999999999999";
        tenant.domain = "fabrikam.onmicrosoft.com";
        tenant.directory = {230, 6, 2};
        tenant.applications = {emulator::Application(kApp, "s", false, "")};
        tenant.delta_ttl_ms = delta_ttl_ms_;
        tenant.limits = limits_;
        scenario.tenants.push_back(tenant);
        emulator_ = std::make_unique<emulator::GraphEmulator>(
            emulator::GraphEmulator::Options{dir_.file("emulator"), scenario, 0});
        tenant_ = tenant.id;
    }

    test::Listing round(const std::string& path_or_link) {
        GraphClient client(test::emulator_source(*emulator_, tenant_, kApp), tokens_, *limiter_,
                           RetryPolicy{8, 10ms, 20ms}, cancelled_);
        return test::list_all(client, path_or_link);
    }
    emulator::Directory& directory() { return emulator_->directory(tenant_); }
    template <typename T>
    T read(const std::function<T(const emulator::Directory&)>& f) {
        T value{};
        directory().read([&](const emulator::Directory& d) { value = f(d); });
        return value;
    }

    test::TempDir dir_;
    int64_t delta_ttl_ms_ = 7LL * 24 * 3600 * 1000;
    emulator::Limits limits_;
    std::unique_ptr<emulator::GraphEmulator> emulator_;
    std::string tenant_;
    TokenCache tokens_;
    std::unique_ptr<RequestLimiter> limiter_ = std::make_unique<RequestLimiter>(1000, 1000ms);
    std::atomic<bool> cancelled_{false};
};

TEST_F(DeltaEmulation, UsersFirstRoundListsEveryoneThenOnlyWhatChanged) {
    const test::Listing first = round("/v1.0/users/delta?$select=displayName,accountEnabled");
    EXPECT_EQ(first.records.size(), 230u);
    EXPECT_EQ(first.page_sizes.size(), 3u) << "100 a page";
    ASSERT_FALSE(first.delta_link.empty()) << "the last page carries the deltaLink";
    EXPECT_EQ(first.delta_link.find("$select"), std::string::npos) << "the query lives in the token";

    const auto ids = read<std::vector<std::string>>([](const auto& d) {
        return std::vector<std::string>{d.users()[5].id, d.users()[6].id};
    });
    directory().update_user(ids[0], [](emulator::DirectoryUser& user) { user.account_enabled = false; });
    directory().delete_user(ids[1]);
    emulator::DirectoryUser added;
    added.id = "99999999-0001-4000-8000-00000000abcd";
    added.display_name = "New «hire»";
    added.user_principal_name = "new@fabrikam.onmicrosoft.com";
    directory().upsert_user(added);

    const test::Listing second = round(first.delta_link);
    ASSERT_EQ(second.records.size(), 3u);
    std::map<std::string, Poco::JSON::Object::Ptr> by_id;
    for (const auto& object : second.records) by_id[object->getValue<std::string>("id")] = object;
    EXPECT_FALSE(by_id.at(ids[0])->getValue<bool>("accountEnabled"));
    EXPECT_EQ(by_id.at(ids[0])->has("userPrincipalName"), false) << "the first request's $select still applies";
    EXPECT_EQ(by_id.at(ids[1])->getObject("@removed")->getValue<std::string>("reason"), "deleted");
    EXPECT_EQ(by_id.at(added.id)->getValue<std::string>("displayName"), "New «hire»");

    const test::Listing third = round(second.delta_link);
    EXPECT_TRUE(third.records.empty()) << "nothing changed since";
    EXPECT_FALSE(third.delta_link.empty());
}

TEST_F(DeltaEmulation, LargeGroupsAreSplitAndMembershipChangesCarryRemovals) {
    const test::Listing first = round("/v1.0/groups/delta?$select=displayName,members");
    // Merge slices: the same group appears once per 50 members.
    std::map<std::string, std::set<std::string>> members;
    std::map<std::string, int> entries;
    for (const auto& group : first.records) {
        const std::string id = group->getValue<std::string>("id");
        ++entries[id];
        const auto slice = group->getArray("members@delta");
        for (unsigned i = 0; i < slice->size(); ++i)
            members[id].insert(slice->getObject(i)->getValue<std::string>("id"));
    }
    const auto all_staff = read<std::pair<std::string, size_t>>([](const auto& d) {
        return std::pair{d.groups()[1].id, d.groups()[1].member_ids.size()};
    });
    EXPECT_GT(all_staff.second, 100u);
    EXPECT_EQ(members[all_staff.first].size(), all_staff.second) << "slices merge to the whole membership";
    EXPECT_EQ(entries[all_staff.first], static_cast<int>((all_staff.second + 49) / 50));

    const auto [group_id, member_id] = read<std::pair<std::string, std::string>>([](const auto& d) {
        return std::pair{d.groups()[0].id, d.groups()[0].member_ids[0]};
    });
    directory().remove_member(group_id, member_id);
    directory().add_member(group_id, read<std::string>([](const auto& d) { return d.users()[7].id; }));

    const test::Listing second = round(first.delta_link);
    ASSERT_EQ(second.records.size(), 1u) << "only the group whose members changed";
    const auto changes = second.records[0]->getArray("members@delta");
    ASSERT_EQ(changes->size(), 2u);
    std::map<std::string, bool> removed;
    for (unsigned i = 0; i < changes->size(); ++i) {
        removed[changes->getObject(i)->getValue<std::string>("id")] = changes->getObject(i)->has("@removed");
    }
    EXPECT_TRUE(removed.at(member_id));
    EXPECT_EQ(second.records[0]->getValue<std::string>("displayName"), "Service Accounts");
}

TEST_F(DeltaEmulation, LatestStartsFromNowAndUnsupportedOptionsAreRefused) {
    const test::Listing now = round("/v1.0/users/delta?$deltatoken=latest");
    EXPECT_TRUE(now.records.empty());
    ASSERT_FALSE(now.delta_link.empty());
    directory().update_user(read<std::string>([](const auto& d) { return d.users()[0].id; }),
                            [](emulator::DirectoryUser& user) { user.display_name = "Renamed"; });
    const test::Listing next = round(now.delta_link);
    ASSERT_EQ(next.records.size(), 1u);
    EXPECT_EQ(next.records[0]->getValue<std::string>("displayName"), "Renamed");

    for (const std::string query : {"$top=10", "$orderby=displayName", "$expand=manager",
                                    "$filter=accountEnabled eq true", "$select=signInActivity"}) {
        try {
            round("/v1.0/users/delta?" + query);
            ADD_FAILURE() << query << " was accepted";
        } catch (const GraphError& failure) {
            EXPECT_EQ(failure.kind(), GraphError::Kind::bad_request) << query;
        }
    }
    const std::string id = read<std::string>([](const auto& d) { return d.users()[3].id; });
    EXPECT_EQ(round("/v1.0/users/delta?$filter=id eq '" + id + "'").records.size(), 1u);
}

TEST_F(DeltaEmulation, AResetDeltaTokenIsAnExpiredLink) {
    const test::Listing first = round("/v1.0/groups/delta");
    emulator_->invalidate_delta_tokens();
    std::this_thread::sleep_for(5ms);
    try {
        round(first.delta_link);
        FAIL() << "a reset token must not be accepted";
    } catch (const GraphError& failure) {
        EXPECT_EQ(failure.kind(), GraphError::Kind::expired_link) << failure.what();
        EXPECT_NE(std::string(failure.what()).find("must reset the sync state"), std::string::npos) << failure.what();
    }
}

class ShortLivedDeltaTokens : public DeltaEmulation {
protected:
    void SetUp() override {
        delta_ttl_ms_ = 300;
        DeltaEmulation::SetUp();
    }
};

TEST_F(ShortLivedDeltaTokens, AnExpiredDeltaTokenAnswers410WithSyncStateNotFound) {
    const test::Listing first = round("/v1.0/users/delta");
    EXPECT_NO_THROW(round(first.delta_link)) << "still fresh";
    std::this_thread::sleep_for(400ms);
    try {
        round(first.delta_link);
        FAIL() << "the token is older than its lifetime";
    } catch (const GraphError& failure) {
        EXPECT_EQ(failure.kind(), GraphError::Kind::expired_link);
    }
    const auto log = emulator_->requests();
    EXPECT_EQ(log.back().status, 410);
}

// Graph's limits enforced: the agent's limiter set to the same budget never meets a 429; a client that ignores the
// budget is throttled and still gets everything by honouring Retry-After.
class EnforcedLimits : public DeltaEmulation {
protected:
    void SetUp() override {
        limits_.resource_units = 6;
        limits_.window_ms = 1000;
        DeltaEmulation::SetUp();
    }
    int throttled() const {
        int count = 0;
        for (const auto& request : emulator_->requests()) count += request.status == 429;
        return count;
    }
};

TEST_F(EnforcedLimits, AClientOverTheBudgetIsThrottledAndRecovers) {
    const test::Listing users = round("/v1.0/users?$top=20");  // 12 pages of 2 ResourceUnits each
    EXPECT_EQ(users.records.size(), 230u);
    EXPECT_GT(throttled(), 0) << "12 requests at once exceed 6 units a second";
}

TEST_F(EnforcedLimits, TheAgentsLimiterAtTheSameBudgetIsNeverThrottled) {
    GraphBudgets budgets;
    budgets.directory_units = 6;  // the emulator's budget: 3 pages of 2 units a second
    budgets.directory_window = 1000ms;
    limiter_ = std::make_unique<RequestLimiter>(budgets);
    const test::Listing users = round("/v1.0/users?$top=20");
    EXPECT_EQ(users.records.size(), 230u);
    EXPECT_EQ(throttled(), 0);
}

}  // namespace
}  // namespace vigil::graph
