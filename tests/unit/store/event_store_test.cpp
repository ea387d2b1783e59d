#include "store/event_store.hpp"
#include "store/pg_event_store.hpp"

#include "support/postgres_database.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <memory>
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

// Both stores, held to one behaviour: SQLite in a temporary folder, PostgreSQL in a fresh database.
class EventStoreTest : public testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        if (GetParam() == "sqlite") {
            database_ = std::make_unique<EventStore>(dir_.file("events.db"), false);
        } else {
            postgres_ = std::make_unique<test::PostgresDatabase>();
            database_ = std::make_unique<PgEventStore>(postgres_->dsn());
        }
    }

    EventDatabase& store() { return *database_; }
    std::vector<std::string> ids(const EventQuery& query) {
        std::vector<std::string> found;
        store().query(query, [&](const StoredEventView& e) {
            found.emplace_back(e.id);
            return true;
        });
        return found;
    }

    test::TempDir dir_;
    std::unique_ptr<test::PostgresDatabase> postgres_;
    std::unique_ptr<EventDatabase> database_;
};

TEST_P(EventStoreTest, QueriesOneConnectorsTimeRangeNewestFirstNarrowedByAnyField) {
    const auto counts = store().insert(
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
    EXPECT_EQ(store().count(query), 1u);

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

TEST_P(EventStoreTest, GivesBackEachEventsDetailsAndRaw) {
    StoredEventView with_raw = event("e1", kHourMs, "ann");
    with_raw.raw_json = R"({"id":"e1"})";
    StoredEventView without = event("e2", 2 * kHourMs, "bob");
    without.details_json = {};
    store().insert({with_raw, without});
    EventQuery query;
    query.connector = "entra_logons";
    std::vector<std::string> bodies;
    store().query(query, [&](const StoredEventView& e) {
        bodies.push_back(std::string(e.details_json) + " " + std::string(e.raw_json));
        return true;
    });
    EXPECT_EQ(bodies, (std::vector<std::string>{"[] ", R"([{"name":"application","value":"Portal"}] {"id":"e1"})"}));
}

TEST_P(EventStoreTest, StoresAnEventOncePerTenantAndConnector) {
    store().insert({event("e1", kHourMs, "ann"), event("e2", kHourMs, "bob")});
    const auto again = store().insert(
        {event("e2", kHourMs, "bob"), event("e3", kHourMs, "eve"), event("e2", kHourMs, "bob", "success", kTenantB)});
    EXPECT_EQ(again.stored, 2u) << "e3, and e2 of the other tenant";
    EXPECT_EQ(again.duplicates, 1u);
    EventQuery query;
    query.connector = "entra_logons";
    EXPECT_EQ(store().count(query), 4u);
}

TEST_P(EventStoreTest, AFailedBatchStoresNothingOfIt) {
    EXPECT_THROW(store().insert(3,
                                [](size_t i, StoredEventView& out) {
                                    if (i == 2) throw std::runtime_error("unreadable record");
                                    out = event(i == 0 ? "e1" : "e2", kHourMs, "ann");
                                }),
                 std::runtime_error);
    EventQuery query;
    query.connector = "entra_logons";
    EXPECT_EQ(store().count(query), 0u);
    EXPECT_EQ(store().insert({event("e1", kHourMs, "ann")}).stored, 1u) << "and the store is usable after";
}

TEST_P(EventStoreTest, PrunesEventsOlderThanTheirRetention) {
    store().insert({event("old", 1 * kHourMs, "ann"), event("new", 5 * kHourMs, "ann")});
    StoredEventView activity = event("act", 1 * kHourMs, "ann");
    activity.connector = "entra_activity";
    store().insert({activity});
    EXPECT_EQ(store().prune(5 * kHourMs), 2u);
    EventQuery query;
    query.connector = "entra_logons";
    EXPECT_EQ(ids(query), (std::vector<std::string>{"new"}));
    query.connector = "entra_activity";
    EXPECT_TRUE(ids(query).empty());
}

TEST_P(EventStoreTest, TalliesAFieldMostFrequentFirst) {
    store().insert({event("e1", kHourMs, "ann", "failure"), event("e2", kHourMs, "bob", "failure"),
                    event("e3", kHourMs, "ann", "failure"), event("e4", kHourMs, "ann", "success")});
    EventQuery failed;
    failed.connector = "entra_logons";
    failed.status = "failure";
    const auto by_user = store().tally(failed, "who", 10);
    ASSERT_EQ(by_user.size(), 2u);
    EXPECT_EQ(by_user[0].value, "ann");
    EXPECT_EQ(by_user[0].events, 2u);
    EXPECT_EQ(by_user[1].value, "bob");
    EXPECT_EQ(store().tally(failed, "who", 1).size(), 1u);
    EXPECT_EQ(store().tally(failed, "who", SIZE_MAX).size(), 2u) << "no limit";
    EXPECT_THROW(store().tally(failed, "who; DROP TABLE events", 10), std::invalid_argument);
}

TEST_P(EventStoreTest, KeepsEveryByteOfHostileTextAndUnicode) {
    StoredEventView hostile = event("id\twith\ttabs", kHourMs, "o'brien\\backslash \"quoted\"\nnewline\r\n");
    hostile.what = "\u00e9t\u00e9 \xf0\x9f\x94\x91 =cmd|' /C calc'!A0, <script>";
    hostile.details_json = R"({"text":"tab\tand \\ backslash","nul":"\u0000"})";
    hostile.raw_json = R"({"raw":"\\N is not null"})";
    store().insert({hostile});
    EventQuery query;
    query.connector = "entra_logons";
    int rows = 0;
    store().query(query, [&](const StoredEventView& e) {
        ++rows;
        EXPECT_EQ(e.id, hostile.id);
        EXPECT_EQ(e.who, hostile.who);
        EXPECT_EQ(e.what, hostile.what);
        EXPECT_EQ(e.details_json, hostile.details_json);
        EXPECT_EQ(e.raw_json, hostile.raw_json);
        return true;
    });
    EXPECT_EQ(rows, 1);
    EXPECT_EQ(store().insert({hostile}).duplicates, 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventStoreTest, testing::Values("sqlite", "postgresql"),
                         [](const testing::TestParamInfo<std::string>& backend) { return backend.param; });

TEST(PgEventStore, AServerThatIsNotThereIsNamedWithoutThePassword) {
    try {
        PgEventStore store("host=127.0.0.1 port=1 user=vigil password=s3cret-pw dbname=events connect_timeout=5");
        FAIL() << "connected to nothing";
    } catch (const std::runtime_error& failure) {
        const std::string message = failure.what();
        EXPECT_NE(message.find("cannot connect to the PostgreSQL event store (dsn: host=127.0.0.1 port=1 user=vigil "
                               "password=*** dbname=events"),
                  std::string::npos)
            << message;
        EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;
    }
}

TEST(PgEventStore, DsnPasswordsAreRedactedInEveryForm) {
    EXPECT_EQ(redact_dsn("host=db password=abc user=x"), "host=db password=*** user=x");
    EXPECT_EQ(redact_dsn("host=db password = 'a b c' user=x"), "host=db password = *** user=x");
    EXPECT_EQ(redact_dsn("postgresql://vigil:abc@db:5432/events"), "postgresql://vigil:***@db:5432/events");
    EXPECT_EQ(redact_dsn("postgresql://db/events"), "postgresql://db/events");
}

TEST(PgEventStore, ANulCharacterBecomesTheReplacementCharacterRatherThanFailingTheBatch) {
    test::PostgresDatabase database;
    PgEventStore store(database.dsn());
    const std::string who("ann\0x", 5);
    EXPECT_EQ(store.insert({event("e1", kHourMs, who)}).stored, 1u);
    EXPECT_EQ(database.scalar("SELECT who FROM vigil_events"), "ann\xEF\xBF\xBDx");
}

TEST(PgEventStore, TwoAgentsShareOneDatabaseAndStoreAnEventOnce) {
    test::PostgresDatabase database;
    PgEventStore first(database.dsn());
    PgEventStore second(database.dsn());  // the schema already there
    first.insert({event("e1", kHourMs, "ann"), event("e2", kHourMs, "bob")});
    const auto counts = second.insert({event("e2", kHourMs, "bob"), event("e3", kHourMs, "eve")});
    EXPECT_EQ(counts.stored, 1u);
    EXPECT_EQ(counts.duplicates, 1u);
    EXPECT_EQ(database.scalar("SELECT count(*) FROM vigil_events"), "3");
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
