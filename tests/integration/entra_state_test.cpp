// Entra State in the real agent against the emulator: the first snapshot equals the emulator's directory; changes
// made to the directory come back as events after a delta round; an invalidated delta token leads to a full
// resync that changes nothing; a tenant without P1/P2 gets `unknown` for what needs the licence.
#include "emulator.hpp"
#include "store/state_store.hpp"
#include "support/test_support.hpp"
#include "util/rfc3339.hpp"
#include "util/wall_clock.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <map>
#include <set>

namespace vigil {
namespace {

const std::string kTenant = "e0000001-0000-4000-8000-000000000001";
const std::string kUnlicensed = "e0000002-0000-4000-8000-000000000002";
const std::string kApp = "00000000-0000-0000-0000-0000000000e1";

class EntraStateTest : public testing::Test {
protected:
    void SetUp() override {
        emulator::Scenario scenario;
        scenario.tenants = {tenant(kTenant, "contoso.example", true), tenant(kUnlicensed, "fabrikam.example", false)};
        emulator_ = std::make_unique<emulator::GraphEmulator>(
            emulator::GraphEmulator::Options{dir_.file("emulator"), scenario, 0});
        const std::string d = dir_.path().string();
        std::string organizations = "organizations:\n  - name: Contoso\n    sources:\n";
        for (const std::string& id : {kTenant, kUnlicensed}) {
            organizations += "      - type: entra_id\n        tenant_id: " + id +
                             "\n        credentials: app\n        endpoints: {login: " + emulator_->base_url() +
                             ", graph: " + emulator_->base_url() + "}\n        tls: {ca_file: " + emulator_->ca_file() +
                             "}\n        connectors:\n          entra_state: {}\n";
        }
        config_ =
            dir_.write("vigil.yaml", "agent:\n  data_dir: " + d + "/var\n  plugin_dirs: [" + test::plugin_dir() +
                                         "]\n  log: {level: info, file: " + d +
                                         "/vigil.log}\n  graph: {requests: 1000, window: 1s}\n"
                                         "credentials:\n  - {name: app, client_id: " +
                                         kApp + ", client_secret: \"${env:VIGIL_TEST_STATE_SECRET}\"}\n" +
                                         organizations + "outputs:\n  - {type: jsonl, path: " + d + "/events.jsonl}\n");
        setenv("VIGIL_TEST_STATE_SECRET", "s3cret", 1);
    }

    static emulator::Tenant tenant(const std::string& id, const std::string& domain, bool premium) {
        emulator::Tenant t;
        t.id = id;
        t.domain = domain;
        t.premium = premium;
        t.applications = {emulator::Application(kApp, "s3cret", false, "")};
        t.directory.users = 120;
        t.directory.groups = 10;
        t.directory.applications = 5;
        return t;
    }

    int run_once() { return test::run_vigil({"run", "--config", config_, "--once"}, dir_.file("run")); }

    // The source's stored state at its last snapshot: kind -> id -> state.
    std::map<std::string, std::map<std::string, std::string>> stored(const std::string& tenant_id) {
        const StateSource source{"Contoso", "", tenant_id};
        StateStore store(StateStore::path_for(dir_.path().string() + "/var", source), source, true);
        std::map<std::string, std::map<std::string, std::string>> objects;
        const auto taken = store.snapshots();
        if (taken.empty()) return objects;
        store.read_at(taken.back(), "", [&](const StateObjectView& object) {
            objects[std::string(object.kind)][std::string(object.id)] = std::string(object.json);
            return true;
        });
        return objects;
    }

    static std::set<std::string> keys(const std::map<std::string, std::string>& objects) {
        std::set<std::string> out;
        for (const auto& [id, json] : objects) out.insert(id);
        return out;
    }

    static std::string property(const std::string& json, const std::string& name) {
        const auto object = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
        return object->has(name) ? object->get(name).toString() : "<missing>";
    }

    // entra_state events in the jsonl output: "Action ObjectType what [property]".
    std::multiset<std::string> state_events() const {
        std::multiset<std::string> out;
        for (const auto& line : test::read_lines(dir_.file("events.jsonl"))) {
            const auto event = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
            if (event->getValue<std::string>("connector") != "entra_state") continue;
            std::string text = event->getValue<std::string>("action") + " " +
                               event->getValue<std::string>("object_type") + " " + event->getValue<std::string>("what");
            const auto details = event->getArray("details");
            if (event->getValue<std::string>("action") == "Modified") {
                text += " " + details->getObject(0)->getValue<std::string>("name");
            }
            for (unsigned i = 0; i < details->size(); ++i) {  // a membership names its member
                const auto detail = details->getObject(i);
                if (detail->getValue<std::string>("name") != "member") continue;
                const std::string side = detail->isNull("new") ? "old" : "new";
                text += " member=" + detail->getValue<std::string>(side);
            }
            out.insert(text);
        }
        return out;
    }

    test::TempDir dir_;
    std::unique_ptr<emulator::GraphEmulator> emulator_;
    std::string config_;
};

TEST_F(EntraStateTest, TheFirstSnapshotIsTheDirectoryAndChangesComeBackAsEvents) {
    ASSERT_EQ(run_once(), 0) << test::read_file(dir_.file("vigil.log"));
    auto state = stored(kTenant);

    // Ground truth: the emulator's directory.
    std::set<std::string> users, groups, memberships, roles, role_members, applications, principals;
    std::map<std::string, bool> enabled;
    emulator_->directory(kTenant).read([&](const emulator::Directory& d) {
        for (const auto& user : d.users()) {
            users.insert(user.id);
            enabled[user.id] = user.account_enabled;
        }
        for (const auto& group : d.groups()) {
            groups.insert(group.id);
            for (const auto& member : group.member_ids) memberships.insert(group.id + "/" + member);
        }
        for (const auto& role : d.roles()) {
            roles.insert(role.id);
            for (const auto& member : role.member_ids) role_members.insert(role.id + "/" + member);
        }
        for (const auto& application : d.applications()) applications.insert(application.id);
        for (const auto& principal : d.service_principals()) principals.insert(principal.id);
    });
    EXPECT_EQ(keys(state["user"]), users);
    EXPECT_EQ(keys(state["group"]), groups);
    EXPECT_EQ(keys(state["group_member"]), memberships) << "nested groups and large groups included";
    EXPECT_EQ(keys(state["role"]), roles);
    EXPECT_EQ(keys(state["role_member"]), role_members);
    EXPECT_EQ(keys(state["application"]), applications);
    EXPECT_EQ(keys(state["service_principal"]), principals);
    EXPECT_EQ(keys(state["mfa_registration"]), users);
    EXPECT_EQ(state["risk"].size(), 16u);
    for (const auto& [id, is_enabled] : enabled) {
        EXPECT_EQ(property(state["user"][id], "accountEnabled"), is_enabled ? "true" : "false") << id;
    }
    EXPECT_TRUE(state_events().empty()) << "the first snapshot is the baseline";

    // Change the directory; the next run's delta rounds find exactly that.
    emulator::Directory& directory = emulator_->directory(kTenant);
    std::string disabled, deleted, group, group_name, member, member_upn, added_member, added_upn;
    directory.read([&](const emulator::Directory& d) {
        disabled = d.users()[10].id;
        deleted = d.users()[11].id;
        added_member = d.users()[12].id;
        added_upn = d.users()[12].user_principal_name;
        for (const auto& g : d.groups()) {
            const auto& ids = g.member_ids;
            if (!group.empty() || ids.empty() || d.find_user(ids[0]) == nullptr || ids[0] == deleted ||
                std::find(ids.begin(), ids.end(), added_member) != ids.end()) {
                continue;
            }
            group = g.id;
            group_name = g.display_name;
            member = ids[0];
            member_upn = d.find_user(member)->user_principal_name;
        }
    });
    std::string disabled_upn, deleted_upn;
    directory.read([&](const emulator::Directory& d) {
        disabled_upn = d.find_user(disabled)->user_principal_name;
        deleted_upn = d.find_user(deleted)->user_principal_name;
    });
    ASSERT_FALSE(group.empty());
    directory.update_user(disabled, [](emulator::DirectoryUser& user) { user.account_enabled = false; });
    directory.delete_user(deleted);
    directory.remove_member(group, member);
    directory.add_member(group, added_member);
    emulator::DirectoryUser newcomer;
    newcomer.id = "e0000001-9999-4000-8000-000000000001";
    newcomer.display_name = "New Hire";
    newcomer.user_principal_name = "new.hire@contoso.example";
    directory.upsert_user(newcomer);

    const int64_t between_runs = wall_clock_ms();
    ASSERT_EQ(run_once(), 0) << test::read_file(dir_.file("vigil.log"));
    const auto events = state_events();
    EXPECT_EQ(events.count("Modified User " + disabled_upn + " accountEnabled"), 1u);
    EXPECT_EQ(events.count("Removed User " + deleted_upn), 1u);
    EXPECT_EQ(events.count("Added User new.hire@contoso.example"), 1u);
    EXPECT_EQ(events.count("Removed Group " + group_name + " member=" + member_upn), 1u)
        << "the member taken out of the group";
    EXPECT_EQ(events.count("Added Group " + group_name + " member=" + added_upn), 1u) << "the member put in";
    EXPECT_EQ(events.count("Modified User " + disabled_upn + " displayName"), 0u) << "nothing else about that user";
    state = stored(kTenant);
    EXPECT_EQ(property(state["user"][disabled], "accountEnabled"), "false");
    EXPECT_EQ(state["user"].count(deleted), 0u);
    EXPECT_EQ(state["group_member"].count(group + "/" + member), 0u);
    EXPECT_EQ(property(state["group_member"][group + "/" + added_member], "member"), added_upn);
    const std::string log = test::read_file(dir_.file("vigil.log"));
    EXPECT_EQ(log.find("reading every user again"), std::string::npos) << "a delta round, not a full one";

    // The state report: the directory now, and what changed since the first snapshot.
    std::string since;
    append_rfc3339_ms(since, between_runs);
    ASSERT_EQ(test::run_vigil({"report", "state", "--config", config_, "--since", since, "--format", "json", "--out",
                               dir_.file("state.json")},
                              dir_.file("report")),
              0)
        << test::read_file(dir_.file("report.err"));
    const auto report =
        Poco::JSON::Parser().parse(test::read_file(dir_.file("state.json"))).extract<Poco::JSON::Object::Ptr>();
    const auto sources = report->getArray("sources");
    ASSERT_EQ(sources->size(), 2u) << "both tenants";
    bool disabled_seen = false;
    for (unsigned s = 0; s < sources->size(); ++s) {
        const auto source = sources->getObject(s);
        if (source->getValue<std::string>("tenant_id") != kTenant) continue;
        const auto changes = source->getArray("changes");
        for (unsigned i = 0; i < changes->size(); ++i) {
            const auto change = changes->getObject(i);
            if (change->getValue<std::string>("what") == disabled_upn &&
                change->getValue<std::string>("property") == "accountEnabled") {
                disabled_seen = change->getValue<bool>("old") && !change->getValue<bool>("new");
            }
        }
    }
    EXPECT_TRUE(disabled_seen) << test::read_file(dir_.file("state.json")).substr(0, 2000);

    // The risks report: every metric for each tenant, with a trend now that there are two snapshots.
    ASSERT_EQ(test::run_vigil({"report", "risks", "--config", config_, "--org", "Contoso"}, dir_.file("risks")), 0);
    const auto lines = test::read_lines(dir_.file("risks.out"));
    size_t rows = 0;
    for (const auto& row : lines) {
        rows += row.rfind("high", 0) == 0 || row.rfind("medium", 0) == 0 || row.rfind("low", 0) == 0 ||
                        row.rfind("unknown", 0) == 0
                    ? 1
                    : 0;
    }
    EXPECT_EQ(rows, 32u) << test::read_file(dir_.file("risks.out"));
    EXPECT_NE(test::read_file(dir_.file("risks.out")).find("Guests in privileged roles"), std::string::npos);

    // A reset delta token: a full resync, which finds nothing new.
    emulator_->invalidate_delta_tokens();
    const size_t events_before = test::read_lines(dir_.file("events.jsonl")).size();
    ASSERT_EQ(run_once(), 0) << test::read_file(dir_.file("vigil.log"));
    EXPECT_NE(test::read_file(dir_.file("vigil.log")).find("reading every user again"), std::string::npos);
    EXPECT_EQ(test::read_lines(dir_.file("events.jsonl")).size(), events_before) << "the resync changed nothing";
    EXPECT_EQ(keys(stored(kTenant)["user"]).size(), users.size());  // one deleted, one added
}

TEST_F(EntraStateTest, ASnapshotWhoseEventsACrashKeptFromTheSpoolHasThemEmittedByTheNextRun) {
    ASSERT_EQ(run_once(), 0) << test::read_file(dir_.file("vigil.log"));
    // What a crash between the two commits leaves: a finished snapshot in the state store (here, one in which a
    // user was disabled), and no events for it in the spool.
    std::string user_id, upn;
    emulator_->directory(kTenant).read([&](const emulator::Directory& d) {
        user_id = d.users()[20].id;
        upn = d.users()[20].user_principal_name;
    });
    {
        const StateSource source{"Contoso", "", kTenant};
        StateStore store(StateStore::path_for(dir_.path().string() + "/var", source), source, false);
        const std::string cursor = store.cursor();
        std::string json;
        store.read_at(store.snapshots().back(), "user", [&](const StateObjectView& object) {
            if (object.id == user_id) json = std::string(object.json);
            return true;
        });
        ASSERT_NE(json.find("\"accountEnabled\":true"), std::string::npos) << json;
        json.replace(json.find("\"accountEnabled\":true"), 21, "\"accountEnabled\":false");
        store.begin(wall_clock_ms(), "contoso.example");
        store.put(StateObjectView{"user", user_id, "User", upn, json});
        store.finish(cursor);
    }
    ASSERT_EQ(run_once(), 0) << test::read_file(dir_.file("vigil.log"));
    // The delta round finds nothing new in Graph, so the only change is the crashed snapshot's: emitted now.
    EXPECT_EQ(state_events().count("Modified User " + upn + " accountEnabled"), 1u);
    bool direction = false;
    for (const auto& line : test::read_lines(dir_.file("events.jsonl"))) {
        if (line.find("\"what\":\"" + upn + "\"") == std::string::npos ||
            line.find("\"object_type\":\"User\"") == std::string::npos ||
            line.find("\"Modified\"") == std::string::npos) {
            continue;
        }
        direction = line.find(R"("details":[{"name":"accountEnabled","old":true,"new":false}])") != std::string::npos;
    }
    EXPECT_TRUE(direction) << "from the crashed snapshot: true to false";
    const size_t lines = test::read_lines(dir_.file("events.jsonl")).size();
    ASSERT_EQ(run_once(), 0);
    EXPECT_EQ(test::read_lines(dir_.file("events.jsonl")).size(), lines) << "nothing emitted twice";
}

TEST_F(EntraStateTest, ATenantWithoutPremiumGetsUnknownForWhatNeedsIt) {
    ASSERT_EQ(run_once(), 0) << test::read_file(dir_.file("vigil.log"));
    auto state = stored(kUnlicensed);
    EXPECT_FALSE(state["user"].empty()) << "the directory itself needs no licence";
    EXPECT_EQ(property(state["risk"]["no_mfa"], "level"), "unknown");
    EXPECT_NE(property(state["risk"]["no_mfa"], "reason").find("P1"), std::string::npos) << state["risk"]["no_mfa"];
    EXPECT_EQ(property(state["risk"]["inactive_users"], "level"), "unknown");
    EXPECT_NE(property(state["risk"]["pwd_never_expires"], "level"), "unknown");
    EXPECT_EQ(state["mfa_registration"].size(), 0u);
}

}  // namespace
}  // namespace vigil
