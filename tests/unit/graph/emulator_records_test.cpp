// The emulator's records behave as Graph's are documented to: audit time windows and ordering, records that become
// visible late, and records delivered twice. Seen through the real GraphClient.
#include "emulator.hpp"
#include "graph/graph_client.hpp"
#include "support/emulator_source.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <set>
#include <thread>

namespace vigil::graph {
namespace {

using namespace std::chrono_literals;

const std::string kApp = "00000000-0000-0000-0000-00000000000a";
const std::string kPlain = "aaaaaaaa-0000-0000-0000-000000000001";
const std::string kLate = "aaaaaaaa-0000-0000-0000-000000000002";
const std::string kDuplicates = "aaaaaaaa-0000-0000-0000-000000000003";

class EmulatorRecords : public testing::Test {
protected:
    static emulator::Tenant tenant(const std::string& id) {
        emulator::Tenant t;
        t.id = id;
        t.domain = "contoso.example";
        t.audit_records = 100;
        t.signin_records = 100;
        t.records_from_ms = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
        t.applications = {emulator::Application(kApp, "s", false, "")};
        return t;
    }
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        emulator::Tenant late = tenant(kLate);
        late.late_every = 5;
        late.late_by_ms = 1500;
        emulator::Tenant duplicates = tenant(kDuplicates);
        duplicates.duplicate_every = 7;
        emulator::Scenario scenario;
        scenario.tenants = {tenant(kPlain), late, duplicates};
        emulator_ = new emulator::GraphEmulator({dir_->file("emulator"), scenario, 0});
    }
    static void TearDownTestSuite() {
        delete emulator_;
        delete dir_;
    }
    std::vector<std::string> ids(const std::string& tenant_id, const std::string& path) {
        GraphClient client(test::emulator_source(*emulator_, tenant_id, kApp), tokens_, limiter_,
                           RetryPolicy{2, 10ms, 20ms}, cancelled_);
        return test::list_all(client, path).ids();
    }

    static inline test::TempDir* dir_ = nullptr;
    static inline emulator::GraphEmulator* emulator_ = nullptr;
    TokenCache tokens_;
    RequestLimiter limiter_{1000, 1000ms};
    std::atomic<bool> cancelled_{false};
};

TEST_F(EmulatorRecords, AuditsHonourTheirTimeWindowAndOrder) {
    // Audits are one second apart from 2026-01-01T00:00:00Z: 00:00:10 to 00:00:19 is records 10 to 19.
    const auto window = ids(kPlain,
                            "/v1.0/auditLogs/directoryAudits?$top=4&$filter=activityDateTime ge "
                            "2026-01-01T00:00:10Z and activityDateTime le 2026-01-01T00:00:19Z");
    const auto all = emulator_->audit_ids(kPlain);
    EXPECT_EQ(window, std::vector<std::string>(all.begin() + 10, all.begin() + 20));
    const auto newest_first = ids(kPlain, "/v1.0/auditLogs/directoryAudits?$top=30&$orderby=activityDateTime desc");
    EXPECT_EQ(newest_first, std::vector<std::string>(all.rbegin(), all.rend()));
    EXPECT_THROW(ids(kPlain, "/v1.0/auditLogs/directoryAudits?$filter=category eq 'UserManagement'"), GraphError)
        << "filtering on category is undocumented: refused";
}

TEST_F(EmulatorRecords, LateRecordsAppearOnlyAfterTheirDelay) {
    const auto all = emulator_->audit_ids(kLate);
    const auto early = ids(kLate, "/v1.0/auditLogs/directoryAudits?$top=30");
    EXPECT_EQ(early.size(), all.size() - all.size() / 5) << "every fifth record is not visible yet";
    EXPECT_EQ(std::count(early.begin(), early.end(), all[5]), 0);
    std::this_thread::sleep_for(1600ms);
    EXPECT_EQ(ids(kLate, "/v1.0/auditLogs/directoryAudits?$top=30"), all) << "now every record is there";
}

TEST_F(EmulatorRecords, DuplicatesAreListedTwiceAcrossPageBoundaries) {
    const auto all = emulator_->audit_ids(kDuplicates);
    // Pages of 8: record 7's two copies fall on both sides of the first page boundary.
    const auto listed = ids(kDuplicates, "/v1.0/auditLogs/directoryAudits?$top=8");
    EXPECT_EQ(listed.size(), all.size() + (all.size() + 6) / 7);
    EXPECT_EQ(std::count(listed.begin(), listed.end(), all[7]), 2);
    EXPECT_EQ(std::count(listed.begin(), listed.end(), all[8]), 1);
    EXPECT_EQ(std::set<std::string>(listed.begin(), listed.end()).size(), all.size());
    const auto signins = ids(kDuplicates, "/v1.0/auditLogs/signIns?$top=9");
    std::set<std::string> unique(signins.begin(), signins.end());
    EXPECT_GT(signins.size(), unique.size()) << "sign-ins are duplicated too";
}

// One tenant in an emulator of its own, and every record of a listing through the real GraphClient.
class OneTenant {
public:
    explicit OneTenant(emulator::Tenant tenant) : id_(tenant.id) {
        tenant.applications = {emulator::Application(kApp, "s", false, "")};
        emulator::Scenario scenario;
        scenario.tenants = {tenant};
        emulator_ = std::make_unique<emulator::GraphEmulator>(
            emulator::GraphEmulator::Options{dir_.file("emulator"), scenario, 0});
    }
    emulator::GraphEmulator& emulator() { return *emulator_; }
    std::vector<Poco::JSON::Object::Ptr> records(const std::string& path) {
        GraphClient client(test::emulator_source(*emulator_, id_, kApp), tokens_, limiter_, RetryPolicy{2, 10ms, 20ms},
                           cancelled_);
        return test::list_all(client, path).records;
    }
    size_t count(const std::string& path) { return records(path).size(); }

private:
    std::string id_;
    test::TempDir dir_;
    std::unique_ptr<emulator::GraphEmulator> emulator_;
    TokenCache tokens_;
    RequestLimiter limiter_{1000, 1000ms};
    std::atomic<bool> cancelled_{false};
};

// The generated audits are varied the way normalizers need: every category and operation type the connectors map,
// applications and service accounts among the initiators, failures, and old/new values that are JSON in a string.
TEST(EmulatorData, AuditsVaryInActivityInitiatorAndResult) {
    emulator::Tenant tenant;
    tenant.id = "12121212-1212-1212-1212-121212121212";
    tenant.domain = "woodgrove.example";
    tenant.audit_records = 200;
    tenant.directory = {60, 5, 2};
    OneTenant one(tenant);
    std::set<std::string> categories;
    std::set<std::string> operations;
    std::set<std::string> initiators;
    int failures = 0;
    int app_initiated = 0;
    int decoded_values = 0;
    size_t records = 0;
    for (const auto& audit : one.records("/v1.0/auditLogs/directoryAudits")) {
        ++records;
        categories.insert(audit->getValue<std::string>("category"));
        operations.insert(audit->getValue<std::string>("operationType"));
        failures += audit->getValue<std::string>("result") == "failure";
        const auto initiated = audit->getObject("initiatedBy");
        if (initiated->isNull("user")) {
            ++app_initiated;
        } else {
            initiators.insert(initiated->getObject("user")->getValue<std::string>("userPrincipalName"));
        }
        const auto targets = audit->getArray("targetResources");
        for (unsigned t = 0; t < targets->size(); ++t) {
            const auto properties = targets->getObject(t)->getArray("modifiedProperties");
            for (unsigned p = 0; p < properties->size(); ++p) {
                const auto value = properties->getObject(p)->getValue<std::string>("newValue");
                EXPECT_NO_THROW(Poco::JSON::Parser().parse("[" + value + "]")) << value;
                ++decoded_values;
            }
        }
    }
    EXPECT_EQ(records, 200u) << "by default the newest record is dated at the emulator's start: all visible";
    EXPECT_EQ(categories,
              (std::set<std::string>{"ApplicationManagement", "GroupManagement", "RoleManagement", "UserManagement"}));
    EXPECT_EQ(operations, (std::set<std::string>{"Add", "Assign", "Delete", "Unassign", "Update"}));
    EXPECT_GT(failures, 10);
    EXPECT_GT(app_initiated, 20);
    EXPECT_GT(decoded_values, 100);
    // The service account that acts is a member of the tenant's "Service Accounts" group.
    std::vector<std::string> service_accounts;
    one.emulator().directory(tenant.id).read([&](const emulator::Directory& directory) {
        for (const auto& id : directory.groups()[0].member_ids) {
            service_accounts.push_back(directory.find_user(id)->user_principal_name);
        }
    });
    ASSERT_FALSE(service_accounts.empty());
    EXPECT_EQ(initiators.count(service_accounts[0]), 1u) << service_accounts[0] << " initiates some changes";
}

// Records dated after the emulator's start appear when their time comes: a live tenant.
TEST(EmulatorData, RecordsDatedInTheFutureAppearWhenTheirTimeComes) {
    emulator::Tenant tenant;
    tenant.id = "13131313-1313-1313-1313-131313131313";
    tenant.domain = "live.example";
    tenant.audit_records = 20;   // one a second from 2 s ago: 3 now, the rest over 17 s
    tenant.signin_records = 40;  // two a second
    tenant.records_from_offset_ms = -2000;
    OneTenant one(tenant);
    const auto count = [&](const std::string& path) { return one.count(path); };
    const size_t audits_now = count("/v1.0/auditLogs/directoryAudits");
    EXPECT_GE(audits_now, 3u);
    EXPECT_LE(audits_now, 5u);
    std::this_thread::sleep_for(1500ms);
    EXPECT_GT(count("/v1.0/auditLogs/directoryAudits"), audits_now);
    const size_t signins = count(
        "/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'interactiveUser' or t eq "
        "'nonInteractiveUser' or t eq 'servicePrincipal' or t eq 'managedIdentity')");
    EXPECT_GE(signins, 7u) << "two a second for 3.5 s";
    EXPECT_LT(signins, 40u) << "the rest are still to come";
}

}  // namespace
}  // namespace vigil::graph
