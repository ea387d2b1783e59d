// The emulator's signIns behave as Graph documents them, seen through the real GraphClient: newest first, the
// documented filters (and 400 for others), beta's event types, and the licence error.
#include "emulator.hpp"
#include "graph/graph_client.hpp"
#include "support/emulator_source.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>


namespace vigil::graph {
namespace {

using namespace std::chrono_literals;

const std::string kApp = "00000000-0000-0000-0000-00000000000a";
const std::string kPremium = "77777777-7777-7777-7777-777777777777";
const std::string kFree = "88888888-8888-8888-8888-888888888888";

class SignInsEmulation : public testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        emulator::Scenario scenario;
        for (const auto& [id, premium] : {std::pair{kPremium, true}, std::pair{kFree, false}}) {
            emulator::Tenant tenant;
            tenant.id = id;
            tenant.domain = "contoso.example";
            tenant.premium = premium;
            tenant.signin_records = 4000;
            tenant.records_from_ms = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
            tenant.applications = {emulator::Application(kApp, "s", false, "")};
            scenario.tenants.push_back(tenant);
        }
        emulator_ = new emulator::GraphEmulator({dir_->file("emulator"), scenario, 0});
    }
    static void TearDownTestSuite() {
        delete emulator_;
        delete dir_;
    }
    GraphClient client(const std::string& tenant) {
        const GraphSource source = test::emulator_source(*emulator_, tenant, kApp);
        return GraphClient(source, tokens_, limiter_, RetryPolicy{2, 10ms, 20ms}, cancelled_);
    }
    struct Listed {
        std::vector<std::string> ids;
        std::vector<std::string> times;
        size_t pages = 0;
    };
    Listed list(const std::string& path, const std::string& tenant = kPremium) {
        GraphClient graph = client(tenant);
        const test::Listing listing = test::list_all(graph, path);
        return Listed{listing.ids(), listing.values_of("createdDateTime"), listing.page_sizes.size()};
    }
    // The ground truth: the emulator's records that satisfy pick, newest first.
    static std::vector<std::string> expected(const std::function<bool(const emulator::SignInRecord&)>& pick) {
        std::vector<std::string> ids;
        for (const auto& record : emulator_->signins(kPremium)) {
            if (pick(record)) ids.push_back(record.id);
        }
        return ids;
    }

    static inline test::TempDir* dir_ = nullptr;
    static inline emulator::GraphEmulator* emulator_ = nullptr;
    TokenCache tokens_;
    RequestLimiter limiter_{1000, 1000ms};
    std::atomic<bool> cancelled_{false};
};

TEST_F(SignInsEmulation, WithoutAFilterOnlyInteractiveSignInsComeNewestFirst) {
    const Listed listed = list("/v1.0/auditLogs/signIns");
    EXPECT_EQ(listed.ids, expected([](const auto& r) { return r.event_type == "interactiveUser"; }));
    EXPECT_EQ(listed.pages, 3u) << "2,600 interactive sign-ins at 1,000 a page";
    EXPECT_TRUE(std::is_sorted(listed.times.rbegin(), listed.times.rend())) << "descending createdDateTime";
}

TEST_F(SignInsEmulation, ATimeWindowIsInclusiveAtBothEnds) {
    // Records are 500 ms apart from 2026-01-01T00:00:00Z: 00:00:10 to 00:00:20 holds records 20 to 40.
    const Listed listed = list(
        "/v1.0/auditLogs/signIns?$filter=createdDateTime ge 2026-01-01T00:00:10Z and "
        "createdDateTime le 2026-01-01T00:00:20Z");
    const int64_t from = 1'767'225'610'000;
    const int64_t to = 1'767'225'620'000;
    EXPECT_EQ(listed.ids, expected([&](const auto& r) {
                  return r.event_type == "interactiveUser" && r.time_ms >= from && r.time_ms <= to;
              }));
    EXPECT_FALSE(listed.ids.empty());
}

TEST_F(SignInsEmulation, SuccessfulOnlyWithErrorCodeZero) {
    const Listed listed = list("/v1.0/auditLogs/signIns?$top=500&$filter=status/errorCode eq 0");
    EXPECT_EQ(listed.ids,
              expected([](const auto& r) { return r.event_type == "interactiveUser" && r.error_code == 0; }));
}

TEST_F(SignInsEmulation, BetaSelectsEventTypesAndV1RefusesTheFilter) {
    const std::string filter =
        "$filter=(createdDateTime ge 2026-01-01T00:00:00Z) and signInEventTypes/any(t: t eq "
        "'nonInteractiveUser' or t eq 'servicePrincipal')";
    EXPECT_EQ(list("/beta/auditLogs/signIns?" + filter).ids, expected([](const auto& r) {
                  return r.event_type == "nonInteractiveUser" || r.event_type == "servicePrincipal";
              }));
    EXPECT_EQ(list("/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t ne 'interactiveUser')").ids,
              expected([](const auto& r) { return r.event_type != "interactiveUser"; }));
    try {
        list("/v1.0/auditLogs/signIns?" + filter);
        FAIL() << "v1.0 has no signInEventTypes";
    } catch (const GraphError& failure) {
        EXPECT_EQ(failure.kind(), GraphError::Kind::bad_request);
        EXPECT_NE(std::string(failure.what()).find("HTTP 400 BadRequest: Invalid filter clause"), std::string::npos)
            << failure.what();
    }
}

TEST_F(SignInsEmulation, UndocumentedFiltersAndSkipAreRefused) {
    for (const std::string query :
         {"$filter=status/errorCode ne 0", "$filter=category eq 'x'", "$skip=10", "$top=1001"}) {
        EXPECT_THROW(list("/v1.0/auditLogs/signIns?" + query), GraphError) << query;
    }
}

TEST_F(SignInsEmulation, ATenantWithoutP1OrP2GetsTheLicenceError) {
    try {
        list("/v1.0/auditLogs/signIns", kFree);
        FAIL() << "sign-in logs through Graph need P1 or P2";
    } catch (const GraphError& failure) {
        EXPECT_EQ(failure.kind(), GraphError::Kind::licence);
    }
}

}  // namespace
}  // namespace vigil::graph
