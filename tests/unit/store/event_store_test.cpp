#include "store/event_store.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <stdexcept>

namespace vigil {
namespace {

constexpr int64_t kHourMs = 3'600'000;
const std::string kTenantA = "aaaaaaaa-0000-4000-8000-000000000001";
const std::string kTenantB = "bbbbbbbb-0000-4000-8000-000000000002";

StoredEventView event(std::string_view id, int64_t time_ms, std::string_view who, std::string_view status = "success",
                      std::string_view tenant = kTenantA, std::string_view organization = "Contoso") {
    StoredEventView e;
    e.id = id;
    e.time_ms = time_ms;
    e.connector = "entra_logons";
    e.organization = organization;
    e.source_group = "Cloud";
    e.tenant_id = tenant;
    e.action = status == "success" ? "Successful Logon" : "Failed Logon";
    e.object_type = "User";
    e.what = who;
    e.who = who;
    e.where = "contoso.example";
    e.workstation = "203.0.113.7";
    e.status = status;
    e.details_json = R"([{"name":"application","value":"Portal"}])";
    return e;
}

class EventStoreTest : public testing::Test {
protected:
    std::vector<std::string> ids(const EventQuery& query) {
        std::vector<std::string> found;
        store_.query(query, [&](const StoredEventView& e) {
            found.emplace_back(e.id);
            return true;
        });
        return found;
    }

    test::TempDir dir_;
    EventStore store_{dir_.file("events.db"), false};
};

TEST_F(EventStoreTest, QueriesOneConnectorsTimeRangeNewestFirstNarrowedByAnyField) {
    const auto counts = store_.insert(
        {event("e1", 1 * kHourMs, "ann@contoso.example"), event("e2", 2 * kHourMs, "bob@contoso.example", "failure"),
         event("e3", 3 * kHourMs, "ann@contoso.example", "failure"),
         event("e4", 4 * kHourMs, "ann@fabrikam.example", "success", kTenantB, "Fabrikam")});
    EXPECT_EQ(counts.stored, 4u);
    EXPECT_EQ(counts.duplicates, 0u);

    EventQuery query;
    query.connector = "entra_logons";
    EXPECT_EQ(ids(query), (std::vector<std::string>{"e4", "e3", "e2", "e1"}));
    query.since_ms = 2 * kHourMs;
    query.until_ms = 4 * kHourMs;
    EXPECT_EQ(ids(query), (std::vector<std::string>{"e3", "e2"})) << "since inclusive, until exclusive";
    query.status = "failure";
    query.who = "ann@contoso.example";
    EXPECT_EQ(ids(query), (std::vector<std::string>{"e3"}));
    EXPECT_EQ(store_.count(query), 1u);

    EventQuery fabrikam;
    fabrikam.connector = "entra_logons";
    fabrikam.organization = "Fabrikam";
    EXPECT_EQ(ids(fabrikam), (std::vector<std::string>{"e4"}));
    fabrikam.connector = "entra_activity";
    EXPECT_TRUE(ids(fabrikam).empty()) << "another connector's events are not this one's";

    EventQuery limited;
    limited.connector = "entra_logons";
    limited.limit = 2;
    EXPECT_EQ(ids(limited), (std::vector<std::string>{"e4", "e3"}));
}

TEST_F(EventStoreTest, GivesBackEachEventsDetailsAndRaw) {
    StoredEventView with_raw = event("e1", kHourMs, "ann");
    with_raw.raw_json = R"({"id":"e1"})";
    StoredEventView without = event("e2", 2 * kHourMs, "bob");
    without.details_json = {};
    store_.insert({with_raw, without});
    EventQuery query;
    query.connector = "entra_logons";
    std::vector<std::string> bodies;
    store_.query(query, [&](const StoredEventView& e) {
        bodies.push_back(std::string(e.details_json) + " " + std::string(e.raw_json));
        return true;
    });
    EXPECT_EQ(bodies, (std::vector<std::string>{"[] ", R"([{"name":"application","value":"Portal"}] {"id":"e1"})"}));
}

TEST_F(EventStoreTest, StoresAnEventOncePerTenantAndConnector) {
    store_.insert({event("e1", kHourMs, "ann"), event("e2", kHourMs, "bob")});
    const auto again = store_.insert(
        {event("e2", kHourMs, "bob"), event("e3", kHourMs, "eve"), event("e2", kHourMs, "bob", "success", kTenantB)});
    EXPECT_EQ(again.stored, 2u) << "e3, and e2 of the other tenant";
    EXPECT_EQ(again.duplicates, 1u);
    EventQuery query;
    query.connector = "entra_logons";
    EXPECT_EQ(store_.count(query), 4u);
}

TEST_F(EventStoreTest, AFailedBatchStoresNothingOfIt) {
    EXPECT_THROW(store_.insert(3,
                               [](size_t i, StoredEventView& out) {
                                   if (i == 2) throw std::runtime_error("unreadable record");
                                   out = event(i == 0 ? "e1" : "e2", kHourMs, "ann");
                               }),
                 std::runtime_error);
    EventQuery query;
    query.connector = "entra_logons";
    EXPECT_EQ(store_.count(query), 0u);
    EXPECT_EQ(store_.insert({event("e1", kHourMs, "ann")}).stored, 1u) << "and the store is usable after";
}

TEST_F(EventStoreTest, PrunesEventsOlderThanTheirRetention) {
    store_.insert({event("old", 1 * kHourMs, "ann"), event("new", 5 * kHourMs, "ann")});
    StoredEventView activity = event("act", 1 * kHourMs, "ann");
    activity.connector = "entra_activity";
    store_.insert({activity});
    EXPECT_EQ(store_.prune(5 * kHourMs), 2u);
    EventQuery query;
    query.connector = "entra_logons";
    EXPECT_EQ(ids(query), (std::vector<std::string>{"new"}));
    query.connector = "entra_activity";
    EXPECT_TRUE(ids(query).empty());
}

TEST_F(EventStoreTest, TalliesAFieldMostFrequentFirst) {
    store_.insert({event("e1", kHourMs, "ann", "failure"), event("e2", kHourMs, "bob", "failure"),
                   event("e3", kHourMs, "ann", "failure"), event("e4", kHourMs, "ann", "success")});
    EventQuery failed;
    failed.connector = "entra_logons";
    failed.status = "failure";
    const auto by_user = store_.tally(failed, "who", 10);
    ASSERT_EQ(by_user.size(), 2u);
    EXPECT_EQ(by_user[0].value, "ann");
    EXPECT_EQ(by_user[0].events, 2u);
    EXPECT_EQ(by_user[1].value, "bob");
    EXPECT_EQ(store_.tally(failed, "who", 1).size(), 1u);
    EXPECT_EQ(store_.tally(failed, "who", SIZE_MAX).size(), 2u) << "no limit";
    EXPECT_THROW(store_.tally(failed, "who; DROP TABLE events", 10), std::invalid_argument);
}

TEST(EventStoreFile, ANewStoreIsPrivateInAFolderMadeForIt) {
    test::TempDir dir;
    const std::string path = dir.file("reports/events.db");
    { EventStore store(path, false); }
    struct stat info {};
    ASSERT_EQ(::stat(path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST(EventStoreFile, AMissingStoreOpenedForReadingNamesTheFile) {
    test::TempDir dir;
    try {
        EventStore store(dir.file("nowhere/events.db"), true);
        FAIL() << "expected an error";
    } catch (const sqlite::Error& failure) {
        EXPECT_NE(std::string(failure.what()).find(dir.file("nowhere/events.db")), std::string::npos) << failure.what();
    }
}

}  // namespace
}  // namespace vigil
