// A source's directory history: versions per object, the state at any snapshot, and what each snapshot changed.
#include "store/state_store.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace vigil {
namespace {

const StateSource kSource{"Contoso", "Cloud", "11111111-1111-4111-8111-111111111111"};
constexpr int64_t kDay = 86'400'000;
constexpr int64_t kS1 = 1'790'000'000'000;
constexpr int64_t kS2 = kS1 + kDay;
constexpr int64_t kS3 = kS2 + kDay;

class StateStoreTest : public testing::Test {
protected:
    StateStore& store() {
        if (!store_)
            store_ = std::make_unique<StateStore>(StateStore::path_for(dir_.path().string(), kSource), kSource, false);
        return *store_;
    }
    void put(const std::string& kind, const std::string& id, const std::string& json, const std::string& name = "") {
        store().put(StateObjectView{kind, id, kind == "user" ? "User" : "Group", name.empty() ? id : name, json});
    }
    // "id=json" of every object current at a snapshot.
    std::map<std::string, std::string> state_at(int64_t snapshot, const std::string& kind = "") {
        std::map<std::string, std::string> objects;
        store().read_at(snapshot, kind, [&](const StateObjectView& object) {
            objects[std::string(object.kind) + "/" + std::string(object.id)] = std::string(object.json);
            return true;
        });
        return objects;
    }
    std::vector<std::string> changes(int64_t snapshot) {
        std::vector<std::string> lines;
        store().changes(snapshot, [&](const StateChange& change) {
            const char* action = change.action == StateChange::Action::added     ? "added"
                                 : change.action == StateChange::Action::removed ? "removed"
                                                                                 : "modified";
            lines.push_back(std::string(action) + " " + change.kind + "/" + change.id +
                            (change.property.empty()
                                 ? ""
                                 : "." + change.property + " " + change.old_json + " -> " + change.new_json));
        });
        return lines;
    }
    // Two users and a group, then: ann changes, bob stays, carol arrives, the group is read in full without bob.
    void two_snapshots() {
        store().begin(kS1, "contoso.com");
        put("user", "ann", R"({"enabled":true,"dept":"Sales"})");
        put("user", "bob", R"({"enabled":true,"dept":"IT"})");
        put("group", "g1", R"({"security":true})");
        store().complete_kind("user");
        store().finish("delta-1");
        store().begin(kS2, "contoso.com");
        put("user", "ann", R"({"enabled":false,"dept":"Sales"})");
        put("user", "bob", R"({"enabled":true,"dept":"IT"})");
        put("user", "carol", R"({"enabled":true,"dept":"HR"})");
        store().complete_kind("user");
        store().finish("delta-2");
    }

    test::TempDir dir_;
    std::unique_ptr<StateStore> store_;
};

TEST_F(StateStoreTest, EachSnapshotCanBeReadBack) {
    two_snapshots();
    EXPECT_EQ(store().snapshots(), (std::vector<int64_t>{kS1, kS2}));
    EXPECT_EQ(state_at(kS1), (std::map<std::string, std::string>{{"group/g1", R"({"security":true})"},
                                                                 {"user/ann", R"({"enabled":true,"dept":"Sales"})"},
                                                                 {"user/bob", R"({"enabled":true,"dept":"IT"})"}}));
    EXPECT_EQ(state_at(kS2, "user"),
              (std::map<std::string, std::string>{{"user/ann", R"({"enabled":false,"dept":"Sales"})"},
                                                  {"user/bob", R"({"enabled":true,"dept":"IT"})"},
                                                  {"user/carol", R"({"enabled":true,"dept":"HR"})"}}));
    EXPECT_EQ(state_at(kS2, "group").size(), 1u) << "a kind not read again keeps its objects";
    EXPECT_EQ(store().snapshot_at(kS2 - 1), kS1);
    EXPECT_EQ(store().snapshot_at(kS2 + 5), kS2);
    EXPECT_FALSE(store().snapshot_at(kS1 - 1));
    EXPECT_EQ(store().cursor(), "delta-2");
    EXPECT_EQ(store().where_of(kS1), "contoso.com");
}

TEST_F(StateStoreTest, AnUnchangedObjectIsStoredOnce) {
    two_snapshots();
    int versions_of_bob = 0;
    sqlite::Database db(StateStore::path_for(dir_.path().string(), kSource), true);
    sqlite::Statement count(db, "SELECT count(*) FROM versions WHERE id = 'bob'");
    ASSERT_TRUE(count.step());
    versions_of_bob = static_cast<int>(count.column_int(0));
    EXPECT_EQ(versions_of_bob, 1) << "no copy per snapshot when nothing changed";
}

TEST_F(StateStoreTest, ChangesArePropertyByPropertyAndTheFirstSnapshotIsABaseline) {
    two_snapshots();
    EXPECT_TRUE(changes(kS1).empty());
    EXPECT_EQ(changes(kS2), (std::vector<std::string>{"modified user/ann.enabled true -> false", "added user/carol"}));
}

TEST_F(StateStoreTest, ACompletedKindLosesWhatWasNotReadAndARemoveTakesOneObject) {
    two_snapshots();
    store().begin(kS3, "contoso.com");
    put("user", "ann", R"({"enabled":false,"dept":"Sales"})");
    put("user", "carol", R"({"enabled":true,"dept":"HR"})");
    store().complete_kind("user");
    store().remove("group", "g1");
    store().remove("group", "never-seen");  // ignored
    store().finish("delta-3");
    EXPECT_EQ(changes(kS3), (std::vector<std::string>{"removed group/g1", "removed user/bob"}));
    EXPECT_EQ(state_at(kS3).size(), 2u);
    EXPECT_EQ(state_at(kS2).size(), 4u) << "the past is unchanged";
}

TEST_F(StateStoreTest, AnAbandonedSnapshotLeavesNoTrace) {
    two_snapshots();
    store().begin(kS3, "contoso.com");
    put("user", "dave", R"({"enabled":true})");
    store().complete_kind("user");
    store().abandon();
    EXPECT_EQ(store().snapshots(), (std::vector<int64_t>{kS1, kS2}));
    EXPECT_EQ(store().cursor(), "delta-2");
    EXPECT_EQ(state_at(kS2, "user").size(), 3u);
    store().begin(kS3, "contoso.com");  // the same time can be used again
    store().finish("delta-3");
    EXPECT_TRUE(changes(kS3).empty());
}

TEST_F(StateStoreTest, PuttingAnObjectTwiceInASnapshotKeepsTheLast) {
    two_snapshots();
    store().begin(kS3, "contoso.com");
    put("group", "g1", R"({"security":false})");
    put("group", "g1", R"({"security":false,"members":2})");
    store().finish("");
    EXPECT_EQ(state_at(kS3, "group").at("group/g1"), R"({"security":false,"members":2})");
    EXPECT_EQ(changes(kS3), (std::vector<std::string>{"modified group/g1.security true -> false",
                                                      "modified group/g1.members null -> 2"}));
}

TEST_F(StateStoreTest, ASnapshotMustBeNewerThanTheLast) {
    two_snapshots();
    EXPECT_THROW(store().begin(kS2, ""), std::runtime_error);
    EXPECT_FALSE(store().in_snapshot());
}

TEST_F(StateStoreTest, PruningKeepsTheOldestKeptSnapshotWhole) {
    two_snapshots();
    store().begin(kS3, "contoso.com");
    put("user", "ann", R"({"enabled":true,"dept":"Sales"})");
    store().finish("");
    store().prune(kS2);  // forget S1
    EXPECT_EQ(store().snapshots(), (std::vector<int64_t>{kS2, kS3}));
    EXPECT_EQ(state_at(kS2).size(), 4u)
        << "ann's S1 version ended at S2 and was current at S1 only: gone, the rest whole";
    EXPECT_EQ(state_at(kS2).at("user/ann"), R"({"enabled":false,"dept":"Sales"})");
}

TEST_F(StateStoreTest, StoresOfTwoSourcesAreTwoFilesAndReportsFindBoth) {
    two_snapshots();
    const StateSource other{"Fabrikam", "", "22222222-2222-4222-8222-222222222222"};
    StateStore second(StateStore::path_for(dir_.path().string(), other), other, false);
    const auto paths = StateStore::all_paths(dir_.path().string());
    ASSERT_EQ(paths.size(), 2u);
    StateStore read(paths[0], StateSource{}, true);
    EXPECT_EQ(read.source().tenant_id, kSource.tenant_id) << "a read-only store names its source";
    EXPECT_EQ(read.snapshots().size(), 2u);
}

}  // namespace
}  // namespace vigil
