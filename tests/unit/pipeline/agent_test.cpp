// The whole pipeline in one process: counter connector -> hooks -> spool -> jsonl output.
#include "app/agent.hpp"
#include "app/builtin_plugins.hpp"
#include "config/config_loader.hpp"
#include "hooks/hook_chain.hpp"
#include "pipeline/connector_job.hpp"
#include "plugins/plugin_registry.hpp"
#include "store/event_store.hpp"
#include "support/postgres_database.hpp"
#include "support/test_support.hpp"
#include "util/json_text.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace vigil {
namespace {

std::string config_text(const std::string& connectors, const std::string& extra_output = "") {
    return "agent:\n  data_dir: ./var\n  plugin_dirs: [" + test::test_plugin_dir() +
           "]\n  log: {level: warn}\ncredentials:\n"
           "  - {name: app, client_id: 00000000-0000-0000-0000-000000000000, client_secret: \"${env:HOME}\"}\n"
           "organizations:\n  - name: Contoso\n    sources:\n" +
           connectors + "outputs:\n  - {type: jsonl, path: ./out/events.jsonl}\n" + extra_output;
}

std::string source(const std::string& tenant, const std::string& counter_settings) {
    return "      - type: entra_id\n        tenant_id: " + tenant +
           "\n        credentials: app\n        connectors:\n          counter: {" + counter_settings + "}\n";
}

const std::string kTenantA = "11111111-1111-1111-1111-111111111111";
const std::string kTenantB = "22222222-2222-2222-2222-222222222222";

class AgentTest : public testing::Test {
protected:
    int run_once(const std::string& text) {
        const std::string file = dir_.write("vigil.yaml", text);
        PluginRegistry registry;
        register_builtin_plugins(registry);
        const Config config = load_config(file, registry);
        Agent agent(config, registry);
        return agent.run_once();
    }
    std::vector<std::string> lines(const std::string& name = "out/events.jsonl") {
        return test::read_lines(dir_.file(name));
    }
    static std::string id_of(const std::string& line) {
        const size_t start = line.find("\"id\":\"") + 6;
        return line.substr(start, line.find('"', start) - start);
    }

    test::TempDir dir_;
};

TEST_F(AgentTest, DeliversEveryEventOnceInOrder) {
    ASSERT_EQ(run_once(config_text(source(kTenantA, "total: 25, page_size: 10"))), 0);
    const auto got = lines();
    ASSERT_EQ(got.size(), 25u);
    for (size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(id_of(got[i]), "evt-" + std::to_string(i));
        EXPECT_TRUE(is_valid_json(got[i])) << got[i];
    }
    EXPECT_EQ(got[0].rfind(R"({"id":"evt-0","connector":"counter","organization":"Contoso","source_group":"",)"
                           R"("tenant_id":"11111111-1111-1111-1111-111111111111","time":"2026-01-01T00:00:00.000Z",)",
                           0),
              0u)
        << got[0];
    EXPECT_NE(got[0].find(R"("raw":{"id":"evt-0","seq":0})"), std::string::npos);
}

TEST_F(AgentTest, ContinuesFromTheCheckpointOnTheNextRun) {
    ASSERT_EQ(run_once(config_text(source(kTenantA, "total: 10, page_size: 4"))), 0);
    ASSERT_EQ(run_once(config_text(source(kTenantA, "total: 30, page_size: 4"))), 0);
    const auto got = lines();
    ASSERT_EQ(got.size(), 30u);
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(id_of(got[i]), "evt-" + std::to_string(i));
}

TEST_F(AgentTest, OverlappingReReadsAreNotDeliveredTwice) {
    ASSERT_EQ(run_once(config_text(source(kTenantA, "total: 50, page_size: 7, overlap: 5"))), 0);
    const auto got = lines();
    std::set<std::string> ids;
    for (const auto& line : got) ids.insert(id_of(line));
    EXPECT_EQ(got.size(), 50u);
    EXPECT_EQ(ids.size(), 50u);
}

TEST_F(AgentTest, AFailingSourceDoesNotHoldUpTheOthers) {
    const std::string text = config_text(source(kTenantA, "total: 20, page_size: 5, fail_at: 12") +
                                         source(kTenantB, "total: 20, prefix: b-"));
    EXPECT_EQ(run_once(text), 1) << "a failed job makes --once exit 1";
    std::set<std::string> ids;
    for (const auto& line : lines()) ids.insert(id_of(line));
    EXPECT_EQ(ids.size(), 10u + 20u) << "tenant A committed two pages before failing; tenant B finished";
    EXPECT_EQ(ids.count("b-19"), 1u);
    EXPECT_EQ(ids.count("evt-9"), 1u);
    EXPECT_EQ(ids.count("evt-10"), 0u);
    // Once the source recovers, the next run resumes tenant A from its checkpoint.
    EXPECT_EQ(
        run_once(config_text(source(kTenantA, "total: 20, page_size: 5") + source(kTenantB, "total: 20, prefix: b-"))),
        0);
    ids.clear();
    const auto got = lines();
    for (const auto& line : got) ids.insert(id_of(line));
    EXPECT_EQ(got.size(), 40u);
    EXPECT_EQ(ids.size(), 40u);
}

TEST_F(AgentTest, OutputWithoutRawOmitsIt) {
    const std::string text = config_text(source(kTenantA, "total: 3")) +
                             "  - {type: jsonl, name: lean, path: ./out/lean.jsonl, include_raw: false}\n";
    ASSERT_EQ(run_once(text), 0);
    const auto lean = lines("out/lean.jsonl");
    ASSERT_EQ(lean.size(), 3u);
    for (const auto& line : lean) {
        EXPECT_EQ(line.find("\"raw\""), std::string::npos);
        EXPECT_TRUE(is_valid_json(line)) << line;
    }
    EXPECT_NE(lines()[0].find("\"raw\""), std::string::npos);
}

TEST_F(AgentTest, JsonlRewindsLinesWrittenButNotConfirmed) {
    const std::string text = config_text(source(kTenantA, "total: 5, page_size: 5"));
    ASSERT_EQ(run_once(text), 0);
    // A crash after write() but before the cursor was saved leaves unconfirmed lines at the end of the file.
    std::ofstream(dir_.file("out/events.jsonl"), std::ios::app) << "{\"id\":\"unconfirmed\"}\n";
    ASSERT_EQ(run_once(config_text(source(kTenantA, "total: 8, page_size: 5"))), 0);
    const auto got = lines();
    ASSERT_EQ(got.size(), 8u);
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(id_of(got[i]), "evt-" + std::to_string(i));
}

// The counter's events are dated from 2026-01-01: a long retention keeps them whenever the test runs.
const std::string kStoreKeepingAll = "  - {type: store, retention: 36500d}\n";

TEST_F(AgentTest, TheStoreHoldsEachEventsFieldsAndDetailsButNotRawByDefault) {
    ASSERT_EQ(run_once(config_text(source(kTenantA, "total: 5, page_size: 2"), kStoreKeepingAll)), 0);
    const EventStore store(dir_.file("var/events.db"), true);
    EventQuery query;
    query.connector = "counter";
    std::vector<std::string> rows;
    store.query(query, [&](const StoredEventView& e) {
        rows.push_back(std::string(e.id) + "|" + std::to_string(e.time_ms) + "|" + std::string(e.organization) + "|" +
                       std::string(e.tenant_id) + "|" + std::string(e.action) + "|" + std::string(e.object_type) + "|" +
                       std::string(e.what) + "|" + std::string(e.who) + "|" + std::string(e.where) + "|" +
                       std::string(e.workstation) + "|" + std::string(e.status) + "|" + std::string(e.details_json) +
                       "|" + std::string(e.raw_json));
        return true;
    });
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[0], "evt-4|1767225604000|Contoso|" + kTenantA + "|Added|User|evt-4|admin@contoso.example|" +
                           kTenantA + R"(|203.0.113.7|success|[{"name":"n","old":null,"new":1}]|)")
        << "newest first; raw left out";

    // With include_raw the record as received is kept too; with a short retention old events are not kept. (These
    // two stores, added later, also receive the first run's events still in the spool.)
    ASSERT_EQ(run_once(config_text(source(kTenantB, "total: 3, page_size: 2"),
                                   "  - {type: store, name: raw, path: ./raw.db, include_raw: true, "
                                   "retention: 36500d}\n  - {type: store, name: short, path: ./short.db, "
                                   "retention: 1d}\n")),
              0);
    const EventStore with_raw(dir_.file("raw.db"), true);
    std::vector<std::string> raws;
    query.tenant_id = kTenantB;
    with_raw.query(query, [&](const StoredEventView& e) {
        raws.emplace_back(e.raw_json);
        return true;
    });
    EXPECT_EQ(raws, (std::vector<std::string>{R"({"id":"evt-2","seq":2})", R"({"id":"evt-1","seq":1})",
                                              R"({"id":"evt-0","seq":0})"}));
    query.tenant_id.clear();
    EXPECT_EQ(EventStore(dir_.file("short.db"), true).count(query), 0u) << "events older than a day are not kept";
}

TEST_F(AgentTest, AStoreOnPostgreSQLHoldsEveryEventOnceAcrossRuns) {
    test::PostgresDatabase database;
    const std::string store = "  - {type: store, dsn: \"" + database.dsn() + "\", retention: 36500d}\n";
    ASSERT_EQ(run_once(config_text(source(kTenantA, "total: 50, page_size: 7"), store)), 0);
    EXPECT_EQ(database.scalar("SELECT count(*) FROM vigil_events"), "50");
    EXPECT_EQ(database.scalar("SELECT count(DISTINCT id) FROM vigil_events WHERE tenant_id = '" + kTenantA +
                              "' AND connector = 'counter' AND raw IS NULL"),
              "50");
    ASSERT_EQ(run_once(config_text(source(kTenantA, "total: 60, page_size: 7"), store)), 0);
    EXPECT_EQ(database.scalar("SELECT count(*) FROM vigil_events"), "60") << "the next ten, none twice";
    EXPECT_FALSE(std::filesystem::exists(dir_.file("var/events.db"))) << "no SQLite store beside it";
}

TEST_F(AgentTest, JsonlFileIsReadableOnlyByOwnerAndGroup) {
    ASSERT_EQ(run_once(config_text(source(kTenantA, "total: 4"))), 0);
    const auto perms = std::filesystem::status(dir_.file("out/events.jsonl")).permissions();
    EXPECT_EQ(perms & std::filesystem::perms::others_all, std::filesystem::perms::none) << "jsonl is 0640";
    EXPECT_EQ(perms & std::filesystem::perms::group_write, std::filesystem::perms::none);
}

// One connector job driven directly, outside the agent: its configuration, spool and job.
class DirectJob {
public:
    DirectJob(const test::TempDir& dir, const std::string& counter_settings)
        : config_(load(dir.write("vigil.yaml", config_text(source(kTenantA, counter_settings))), registry_)),
          spool_(prepared(config_.agent.data_dir), Spool::Options{}),
          job_(identity(), *registry_.find("counter"), config_.organizations[0].sources[0].connectors[0],
               &config_.credentials[0], spool_, stopping_) {}

    static JobIdentity identity() { return JobIdentity{"Contoso", "", kTenantA, "counter"}; }
    ConnectorJob& job() { return job_; }
    Spool& spool() { return spool_; }

private:
    static Config load(const std::string& file, PluginRegistry& registry) {
        register_builtin_plugins(registry);
        return load_config(file, registry);
    }
    static const std::string& prepared(const std::string& data_dir) {
        prepare_data_dir(data_dir);
        return data_dir;
    }

    PluginRegistry registry_;
    Config config_;
    Spool spool_;
    std::atomic<bool> stopping_{false};
    ConnectorJob job_;
};

// Hooks see every event before it is stored; here a C++ hook stands in for the Lua ones.
class DropOddHook : public Hook {
public:
    HookVerdict on_event(Event& event, const JobIdentity&) override {
        const int n = std::stoi(event.id.substr(4));
        if (n % 2 == 1) return HookVerdict::drop;
        event.what = "hooked-" + event.what;
        return HookVerdict::keep;
    }
};

TEST_F(AgentTest, HooksDropAndChangeEventsBeforeTheyAreStored) {
    DirectJob direct(dir_, "total: 6, page_size: 4");
    ConnectorJob& job = direct.job();
    job.create();
    HookChain hooks;
    hooks.add(std::make_unique<DropOddHook>());
    ASSERT_TRUE(job.run(hooks));
    EXPECT_EQ(job.totals().emitted, 6u);
    EXPECT_EQ(job.totals().stored, 3u);
    EXPECT_EQ(job.totals().filtered, 3u);
    SpoolReader reader(direct.spool());
    std::vector<SegmentRecord> events;
    ASSERT_EQ(reader.read(0, 100, events), 3u);
    EXPECT_EQ(events[0].id, "evt-0");
    EXPECT_EQ(events[1].id, "evt-2");
    EXPECT_NE(events[1].json.find(R"("what":"hooked-evt-2")"), std::string::npos);
    EXPECT_EQ(direct.spool().checkpoint(direct.spool().job_id(DirectJob::identity())), "6");
}

TEST_F(AgentTest, ACredentialSecretReachesThePluginOnlyThroughTheHostTable) {
    DirectJob direct(dir_, "total: 1");
    ConnectorJob& job = direct.job();
    char small[4];
    size_t size = 0;
    EXPECT_EQ(job.read_secret("client_secret", small, sizeof(small), &size), VIGIL_ERR_BUFFER_TOO_SMALL);
    EXPECT_EQ(size, std::string(getenv("HOME")).size());
    std::string buffer(size + 1, '\0');
    ASSERT_EQ(job.read_secret("client_secret", buffer.data(), buffer.size(), &size), VIGIL_OK);
    EXPECT_EQ(buffer.substr(0, size), getenv("HOME"));
    EXPECT_EQ(job.read_secret("certificate_file", buffer.data(), buffer.size(), &size), VIGIL_ERR_NOT_FOUND);
}

}  // namespace
}  // namespace vigil
