// Paging, throttling, retries and token refresh against the emulator, checked in its request log.
#include "graph/graph_client.hpp"
#include "emulator.hpp"
#include "graph/page_links.hpp"
#include "support/emulator_source.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <thread>

namespace vigil::graph {
namespace {

using namespace std::chrono_literals;

const std::string kApp = "00000000-0000-0000-0000-00000000000a";
const std::string kDenied = "00000000-0000-0000-0000-00000000000d";

emulator::Tenant tenant(const std::string& id, int records, emulator::Faults faults = {}) {
    emulator::Tenant t;
    t.id = id;
    t.domain = id.substr(0, 8) + ".example";
    t.audit_records = records;
    t.faults = faults;
    emulator::Application denied{kDenied, "s", false, ""};
    denied.all_permissions = false;
    denied.permissions = {"Directory.Read.All"};
    t.applications = {{kApp, "s", false, ""}, denied};
    return t;
}

const std::string kPlain = "11111111-1111-1111-1111-111111111111";
const std::string kThrottled = "22222222-2222-2222-2222-222222222222";
const std::string kFlaky = "33333333-3333-3333-3333-333333333333";
const std::string kAlways429 = "44444444-4444-4444-4444-444444444444";
const std::string kBroken = "66666666-6666-6666-6666-666666666666";
const std::string kShortLinks = "99999999-6666-6666-6666-666666666666";

emulator::Tenant short_links() {
    emulator::Tenant t = tenant(kShortLinks, 30);
    t.link_ttl_ms = 150;
    return t;
}

class GraphClientTest : public testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new test::TempDir;
        emulator::Scenario scenario;
        scenario.tenants = {tenant(kPlain, 2500),
                            tenant(kThrottled, 50, {2, "0.3", 0}),
                            tenant(kFlaky, 50, {0, "1", 2}),
                            tenant(kAlways429, 10, {1, "0.01", 0}),
                            tenant(kBroken, 60, {0, "1", 0, 3, 4, 5}),
                            short_links()};
        emulator_ = new emulator::GraphEmulator({dir_->file("emulator"), scenario, 0});
    }
    static void TearDownTestSuite() {
        delete emulator_;
        delete dir_;
    }

    std::unique_ptr<GraphClient> client(const std::string& tenant_id, const std::string& app = kApp,
                                        RetryPolicy retry = {6, 20ms, 200ms}) {
        const GraphSource source = test::emulator_source(*emulator_, tenant_id, app);
        return std::make_unique<GraphClient>(source, tokens_, limiter_, retry, cancelled_);
    }
    // Every record id of every page, in order.
    static std::vector<std::string> ids_of_pages(GraphClient& graph, const std::string& path, int* pages = nullptr) {
        std::vector<std::string> ids;
        graph.get_pages(path, [&](std::string_view page) {
            const auto root = Poco::JSON::Parser().parse(std::string(page)).extract<Poco::JSON::Object::Ptr>();
            const auto values = root->getArray("value");
            for (size_t i = 0; i < values->size(); ++i)
                ids.push_back(values->getObject(static_cast<unsigned>(i))->getValue<std::string>("id"));
            if (pages) ++*pages;
            return true;
        });
        return ids;
    }
    std::vector<emulator::LoggedRequest> graph_requests_since(size_t first) const {
        std::vector<emulator::LoggedRequest> found;
        const auto all = emulator_->requests();
        for (size_t i = first; i < all.size(); ++i) {
            if (all[i].path.rfind("/v1.0/", 0) == 0) found.push_back(all[i]);
        }
        return found;
    }

    static inline test::TempDir* dir_ = nullptr;
    static inline emulator::GraphEmulator* emulator_ = nullptr;
    TokenCache tokens_;
    RequestLimiter limiter_{100, 1000ms};
    std::atomic<bool> cancelled_{false};
};

TEST_F(GraphClientTest, FollowsEveryNextLinkAndDeliversEachRecordOnce) {
    auto graph = client(kPlain);
    int pages = 0;
    const auto ids = ids_of_pages(*graph, "/v1.0/auditLogs/directoryAudits?$top=1000", &pages);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(ids, emulator_->audit_ids(kPlain));
}

TEST_F(GraphClientTest, CachesTheTokenAcrossRequests) {
    const size_t before = emulator_->requests().size();
    auto graph = client(kPlain);
    ids_of_pages(*graph, "/v1.0/auditLogs/directoryAudits?$top=500");
    int token_requests = 0;
    for (size_t i = before; i < emulator_->requests().size(); ++i) {
        if (emulator_->requests()[i].path.find("/oauth2/v2.0/token") != std::string::npos) ++token_requests;
    }
    EXPECT_EQ(token_requests, 1) << "five pages, one token";
}

TEST_F(GraphClientTest, HonoursADecimalRetryAfterBeforeTheNextRequest) {
    const size_t before = emulator_->requests().size();
    auto graph = client(kThrottled);
    EXPECT_EQ(ids_of_pages(*graph, "/v1.0/auditLogs/directoryAudits?$top=10"), emulator_->audit_ids(kThrottled));
    const auto requests = graph_requests_since(before);
    int throttled = 0;
    for (size_t i = 0; i + 1 < requests.size(); ++i) {
        if (requests[i].status != 429) continue;
        ++throttled;
        EXPECT_GE(requests[i + 1].time_ms - requests[i].time_ms, 300) << "Retry-After: 0.3 means 300 ms";
    }
    EXPECT_GE(throttled, 4);
}

TEST_F(GraphClientTest, Retries503WithBackoff) {
    const size_t before = emulator_->requests().size();
    auto graph = client(kFlaky);
    EXPECT_EQ(ids_of_pages(*graph, "/v1.0/auditLogs/directoryAudits?$top=10"), emulator_->audit_ids(kFlaky));
    int unavailable = 0;
    for (const auto& request : graph_requests_since(before)) unavailable += request.status == 503 ? 1 : 0;
    EXPECT_GE(unavailable, 4);
}

TEST_F(GraphClientTest, RetriesMalformedPagesAndConnectionResets) {
    const size_t before = emulator_->requests().size();
    auto graph = client(kBroken);
    EXPECT_EQ(ids_of_pages(*graph, "/v1.0/auditLogs/directoryAudits?$top=10"), emulator_->audit_ids(kBroken))
        << "every third page arrives cut short, every fourth connection is reset and every fifth ends without a "
           "response (an unexpected end of the TLS stream), yet nothing is lost";
    // Resets never reach the request log (no response is sent); the cut pages are there as 200s, then retried.
    const auto requests = graph_requests_since(before);
    EXPECT_GT(requests.size(), 6u);
}

TEST_F(GraphClientTest, AnExpiredNextLinkIsToldApartSoTheListingCanRestart) {
    auto graph = client(kShortLinks);
    int pages = 0;
    try {
        graph->get_pages("/v1.0/auditLogs/directoryAudits?$top=10", [&](std::string_view) {
            if (++pages == 1) std::this_thread::sleep_for(250ms);  // longer than the link lives
            return true;
        });
        FAIL() << "the second page's link had expired";
    } catch (const GraphError& failure) {
        EXPECT_EQ(failure.kind(), GraphError::Kind::expired_link);
        EXPECT_NE(std::string(failure.what()).find("Invalid Skip Token); restart the listing from its start"),
                  std::string::npos)
            << failure.what();
    }
    EXPECT_EQ(pages, 1) << "the page handed over before stands";
    EXPECT_EQ(ids_of_pages(*client(kShortLinks), "/v1.0/auditLogs/directoryAudits?$top=10"),
              emulator_->audit_ids(kShortLinks))
        << "a prompt listing finishes";
}

TEST_F(GraphClientTest, GivesUpAfterTheAttemptsWithAClearError) {
    auto graph = client(kAlways429, kApp, RetryPolicy{3, 10ms, 50ms});
    try {
        ids_of_pages(*graph, "/v1.0/auditLogs/directoryAudits");
        FAIL() << "every request is throttled";
    } catch (const GraphError& failure) {
        EXPECT_EQ(failure.kind(), GraphError::Kind::unavailable);
        EXPECT_EQ(std::string(failure.what()),
                  "GET /v1.0/auditLogs/directoryAudits for tenant " + kAlways429 +
                      " of organization 'Contoso' (credential 'contoso-app') failed 3 times; last: throttled (429); "
                      "Vigil tries again at the next run");
    }
}

TEST_F(GraphClientTest, ARevokedTokenMidPagingIsRefreshedOnceAndThePageRetried) {
    const size_t before = emulator_->requests().size();
    auto graph = client(kPlain);
    std::vector<std::string> ids;
    int pages = 0;
    graph->get_pages("/v1.0/auditLogs/directoryAudits?$top=1000", [&](std::string_view) {
        if (++pages == 1) emulator_->revoke_tokens();
        return true;
    });
    EXPECT_EQ(pages, 3) << "no page lost, no restart of the listing";
    std::vector<int> statuses;
    for (size_t i = before; i < emulator_->requests().size(); ++i) statuses.push_back(emulator_->requests()[i].status);
    EXPECT_EQ(statuses, (std::vector<int>{200, 200, 401, 200, 200, 200}))
        << "token, page 1, 401, token, page 2, page 3";
}

// Tokens that die long before their advertised expiry (a revocation, continuous access evaluation): every 401
// mid-paging costs one fresh token and the same page again, never the listing. The emulator counts a token's 150 ms
// from its first use, so each token serves at least one page however slow the machine.
TEST(ShortLivedTokens, EachExpiryMidPagingCostsOneRefreshAndNoPage) {
    test::TempDir dir;
    emulator::Scenario scenario;
    scenario.token_valid_ms = 150;
    scenario.tenants = {tenant(kPlain, 2500)};
    emulator::GraphEmulator emulator({dir.file("emulator"), scenario, 0});
    TokenCache tokens;
    RequestLimiter limiter(100, 1000ms);
    std::atomic<bool> cancelled{false};
    GraphClient graph(test::emulator_source(emulator, kPlain, kApp), tokens, limiter, RetryPolicy{2, 10ms, 20ms},
                      cancelled);
    std::vector<std::string> ids;
    graph.get_pages("/v1.0/auditLogs/directoryAudits?$top=250", [&](std::string_view page) {
        const auto root = Poco::JSON::Parser().parse(std::string(page)).extract<Poco::JSON::Object::Ptr>();
        const auto values = root->getArray("value");
        for (unsigned i = 0; i < values->size(); ++i) ids.push_back(values->getObject(i)->getValue<std::string>("id"));
        std::this_thread::sleep_for(100ms);  // a slow consumer: the token dies every other page
        return true;
    });
    EXPECT_EQ(ids, emulator.audit_ids(kPlain)) << "ten pages, every record once";
    int refused = 0;
    int tokens_issued = 0;
    for (const auto& request : emulator.requests()) {
        refused += request.status == 401;
        tokens_issued += request.path.find("/oauth2/v2.0/token") != std::string::npos;
    }
    EXPECT_GE(refused, 3);
    EXPECT_EQ(tokens_issued, refused + 1) << "one fresh token per 401, plus the first";
}

TEST_F(GraphClientTest, AMissingPermissionNamesTheOneToGrant) {
    auto graph = client(kPlain, kDenied);
    try {
        ids_of_pages(*graph, "/v1.0/auditLogs/directoryAudits");
        FAIL() << "the application lacks AuditLog.Read.All";
    } catch (const GraphError& failure) {
        EXPECT_EQ(failure.kind(), GraphError::Kind::permission);
        EXPECT_EQ(std::string(failure.what()),
                  "GET /v1.0/auditLogs/directoryAudits for tenant " + kPlain +
                      " of organization 'Contoso' (credential 'contoso-app') was denied (Authorization_RequestDenied): "
                      "grant the application permissions AuditLog.Read.All and Directory.Read.All in the app "
                      "registration's API permissions, "
                      "then grant admin consent");
    }
}

TEST_F(GraphClientTest, TheLimiterSpacesRequestsOfOneTenantAndApplication) {
    RequestLimiter strict(3, 600ms);
    const GraphSource source = test::emulator_source(*emulator_, kPlain, kApp);
    GraphClient graph(source, tokens_, strict, RetryPolicy{}, cancelled_);
    const size_t before = emulator_->requests().size();
    ids_of_pages(graph, "/v1.0/auditLogs/directoryAudits?$top=500");  // 5 pages
    const auto requests = graph_requests_since(before);
    ASSERT_EQ(requests.size(), 5u);
    // The limiter spaces sends by 600 ms; arrivals at the server jitter by a few ms under load. Without the limiter the
    // four requests take ~30 ms, so 500 ms proves the wait without depending on scheduling.
    EXPECT_GE(requests[3].time_ms - requests[0].time_ms, 500)
        << "the 4th request waits for the 1st to leave the window";
}

TEST_F(GraphClientTest, GzipIsAskedForAndUnpacked) {
    HttpsClient http(HttpsOptions{emulator_->ca_file()});
    const auto endpoints = endpoints_for("global", emulator_->base_url(), emulator_->base_url());
    const AccessToken token =
        request_token(http, endpoints, kPlain, ClientCredential{"c", kApp, "s", "", "", {}}, emulator::now_ms());
    const HttpResponse response = http.get(emulator_->base_url() + "/v1.0/auditLogs/directoryAudits?$top=5",
                                           {{"Authorization", "Bearer " + token.value}});
    EXPECT_EQ(response.header("content-encoding"), "gzip");
    EXPECT_EQ(response.body.rfind(R"({"@odata.context":)", 0), 0u);
}

TEST(RequestTarget, EncodesWhatCannotGoOnTheWireAndKeepsEscapes) {
    EXPECT_EQ(escape_request_target("/v1.0/auditLogs/signIns?$filter=createdDateTime ge 2026-01-13T14:13:32Z"),
              "/v1.0/auditLogs/signIns?$filter=createdDateTime%20ge%202026-01-13T14:13:32Z");
    EXPECT_EQ(escape_request_target("/beta/x?$filter=signInEventTypes/any(t: t eq 'servicePrincipal')"),
              "/beta/x?$filter=signInEventTypes/any(t:%20t%20eq%20'servicePrincipal')");
    EXPECT_EQ(escape_request_target("/v1.0/x?$skiptoken=a%2Fb&$top=5"), "/v1.0/x?$skiptoken=a%2Fb&$top=5");
    EXPECT_EQ(escape_request_target("/v1.0/users?$filter=startswith(displayName,\"Zoë\")"),
              "/v1.0/users?$filter=startswith(displayName,%22Zo%C3%AB%22)");
}

TEST(RetryAfter, ParsesDecimalSeconds) {
    EXPECT_EQ(parse_retry_after("2.128"), 2128ms);
    EXPECT_EQ(parse_retry_after("10"), 10'000ms);
    EXPECT_EQ(parse_retry_after("0"), 0ms);
    EXPECT_FALSE(parse_retry_after("").has_value());
    EXPECT_FALSE(parse_retry_after("soon").has_value());
    EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT").has_value());
    EXPECT_FALSE(parse_retry_after("-1").has_value());
}

TEST(PageLinks, ReadsTopLevelLinksOnly) {
    const auto links =
        read_page_links(R"({"value":[{"id":"a","@odata.nextLink":"https://evil.example/inside-a-record"}],)"
                        R"("@odata.nextLink":"https://graph.microsoft.com/v1.0/x?$skiptoken=abc"})");
    ASSERT_TRUE(links.has_value());
    EXPECT_EQ(links->next_link, "https://graph.microsoft.com/v1.0/x?$skiptoken=abc");
    EXPECT_EQ(read_page_links(R"({"value":[],"@odata.deltaLink":"https://graph.microsoft.com/v1.0/d?$deltatoken=z"})")
                  ->delta_link,
              "https://graph.microsoft.com/v1.0/d?$deltatoken=z");
    EXPECT_FALSE(read_page_links("[1,2]").has_value());
    EXPECT_FALSE(read_page_links("{\"value\":[").has_value());
}

}  // namespace
}  // namespace vigil::graph
