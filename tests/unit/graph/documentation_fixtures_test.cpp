// Microsoft's published response bodies (../shared/fixtures/graph-docs, provenance in SOURCES.txt): the valid ones
// parse and map to the right advice; the ones invalid as published are rejected cleanly, never half-read.
#include "graph/graph_client.hpp"
#include "graph/page_links.hpp"
#include "graph/token_client.hpp"
#include "support/test_support.hpp"
#include "util/json_text.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace vigil::graph {
namespace {

std::string fixtures_dir() {
    return test::graph_fixtures_dir();
}
std::string fixture(const std::string& name) {
    return test::graph_fixture(name);
}

// Invalid as published: trailing commas, <...> placeholders, \' escapes (graph-api.md section 6).
const std::set<std::string> kInvalidAsPublished{"signIns_list_v1.json",
                                                "signIns_list_v1_filter_startswith_nextLink.json",
                                                "signIn_get_v1.json",
                                                "signIns_list_beta_2021_ex1.json",
                                                "signIn_get_beta.json",
                                                "roleAssignments_list_beta_2021_expand_principal.json",
                                                "groups_transitiveMembers_v1_groups_count.json",
                                                "groups_delta_walkthrough_6_largegroup_page1.json",
                                                "groups_delta_walkthrough_7_largegroup_page2.json",
                                                "token_error_unauthorized_client_700016.json"};

TEST(DocumentationFixtures, ValidOnesParseAndInvalidOnesAreRejectedCleanly) {
    ASSERT_TRUE(std::filesystem::is_directory(fixtures_dir())) << fixtures_dir() << " (shared/ beside the checkout)";
    size_t valid = 0;
    size_t invalid = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(fixtures_dir())) {
        if (entry.path().extension() != ".json") continue;
        const std::string name = entry.path().filename().string();
        const std::string body = test::read_file(entry.path().string());
        if (kInvalidAsPublished.count(name) > 0) {
            EXPECT_FALSE(is_valid_json(body)) << name;
            EXPECT_FALSE(read_page_links(body).has_value()) << name << " must not be half-read";
            ++invalid;
        } else {
            EXPECT_TRUE(is_valid_json(body)) << name;
            EXPECT_TRUE(read_page_links(body).has_value()) << name;
            ++valid;
        }
    }
    EXPECT_EQ(invalid, kInvalidAsPublished.size());
    EXPECT_EQ(valid + invalid, 61u) << "the reference counts 61 JSON fixtures, the synthesized one included";
}

TEST(DocumentationFixtures, PagingLinksAreFoundWherePublished) {
    const auto first = read_page_links(fixture("users_delta_walkthrough_1_initial_nextLink.json"));
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->next_link.rfind("https://graph.microsoft.com/", 0), 0u);
    const auto last = read_page_links(fixture("users_delta_walkthrough_3_final_deltaLink.json"));
    ASSERT_TRUE(last.has_value());
    EXPECT_TRUE(last->next_link.empty());
    EXPECT_NE(last->delta_link.find("$deltatoken="), std::string::npos);
}

TEST(DocumentationFixtures, TokenErrorsMapToAdvice) {
    const ClientCredential credential{"contoso-app", "00000000-0000-0000-0000-000000000001", "", "", "", {}};
    const TokenError secret = token_error_from(401, fixture("token_error_invalid_client_7000215.json"), credential,
                                               "contoso.onmicrosoft.com", "https://login/token");
    EXPECT_EQ(secret.aadsts_code(), 7000215);
    EXPECT_EQ(secret.oauth_error(), "invalid_client");
    EXPECT_NE(std::string(secret.what()).find("copy the secret's Value (not its Secret ID)"), std::string::npos);
    const TokenError tenant = token_error_from(400, fixture("token_error_invalid_tenant_90002.json"), credential,
                                               "nowhere.example", "https://login/token");
    EXPECT_EQ(tenant.aadsts_code(), 90002);
    EXPECT_NE(std::string(tenant.what()).find("does not exist in this cloud"), std::string::npos);
    // Published with \' escapes: not JSON; said so, without guessing.
    const TokenError broken = token_error_from(400, fixture("token_error_unauthorized_client_700016.json"), credential,
                                               "t", "https://login/token");
    EXPECT_EQ(std::string(broken.what()),
              "the token endpoint https://login/token answered HTTP 400 with a body that "
              "is not JSON");
    // A code without advice of ours keeps Microsoft's first line, not the trace ids after it.
    const TokenError scope = token_error_from(400, fixture("token_error_invalid_scope_errorcodes_doc.json"), credential,
                                              "t", "https://login/token");
    EXPECT_EQ(std::string(scope.what()).find("Trace ID"), std::string::npos) << scope.what();
}

TEST(DocumentationFixtures, GraphErrorsMapToAdvice) {
    const GraphError licence = graph_error_for(
        403, fixture("synthesized/graph_error_403_license_required.SYNTHESIZED.json"),
        "GET /v1.0/auditLogs/signIns for tenant t", "https://graph.microsoft.com/v1.0/auditLogs/signIns");
    EXPECT_EQ(licence.kind(), GraphError::Kind::licence);
    const GraphError skip = graph_error_for(400, fixture("graph_error_invalid_skip_token.json"), "GET /v1.0/users",
                                            "https://graph.microsoft.com/v1.0/users");
    EXPECT_EQ(skip.kind(), GraphError::Kind::expired_link) << "the caller restarts its time window";
    EXPECT_NE(std::string(skip.what()).find("Invalid Skip Token"), std::string::npos) << skip.what();
    // Delta tokens: 410, or syncStateNotFound / resyncRequired, also nested in innerError.
    EXPECT_EQ(graph_error_for(410, "{}", "GET /v1.0/users/delta", "u").kind(), GraphError::Kind::expired_link);
    EXPECT_EQ(graph_error_for(400, R"({"error":{"code":"BadRequest","innerError":{"code":"syncStateNotFound"}}})",
                              "GET /v1.0/groups/delta", "u")
                  .kind(),
              GraphError::Kind::expired_link);
    EXPECT_EQ(graph_error_for(400, R"({"error":{"code":"resyncRequired","message":"x"}})", "GET d", "u").kind(),
              GraphError::Kind::expired_link);
    const GraphError invalid_range =
        graph_error_for(400, fixture("graph_error_example_invalidRange.json"), "GET x", "u");
    EXPECT_EQ(invalid_range.kind(), GraphError::Kind::bad_request) << "other 400s are not expiries";
}

}  // namespace
}  // namespace vigil::graph
