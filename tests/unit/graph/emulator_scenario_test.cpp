// The scenario example in docs/emulator.md is what Scenario::load reads: the documentation cannot drift from it.
#include "scenario.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace vigil::emulator {
namespace {

std::string documented_example() {
    std::ifstream doc(std::string(VIGIL_SOURCE_DIR) + "/docs/emulator.md");
    std::stringstream text;
    text << doc.rdbuf();
    const std::string all = text.str();
    const auto start = all.find("```yaml\n");
    const auto end = all.find("```", start + 8);
    if (start == std::string::npos || end == std::string::npos) return "";
    return all.substr(start + 8, end - start - 8);
}

TEST(EmulatorScenario, TheDocumentedExampleLoadsAsDocumented) {
    const std::string example = documented_example();
    ASSERT_FALSE(example.empty()) << "docs/emulator.md has a ```yaml block";
    test::TempDir dir;
    const std::string path = dir.file("scenario.yaml");
    std::ofstream(path) << example;
    const Scenario scenario = Scenario::load(path);
    ASSERT_EQ(scenario.tenants.size(), 1u);
    const Tenant& tenant = scenario.tenants[0];
    EXPECT_EQ(tenant.applications.size(), 4u);
    EXPECT_TRUE(tenant.applications[1].secret_expired);
    EXPECT_EQ(tenant.applications[2].certificate_file, dir.file("app.crt")) << "relative to the scenario file";
    EXPECT_FALSE(tenant.applications[3].has_permission("AuditLog.Read.All"));
    EXPECT_EQ(tenant.directory.users, 250);
    ASSERT_TRUE(tenant.records_from_offset_ms);
    EXPECT_EQ(*tenant.records_from_offset_ms, -3'600'000);
    EXPECT_EQ(tenant.directory.groups, 12);
    EXPECT_EQ(tenant.limits.report_requests, 5);
    EXPECT_EQ(tenant.limits.resource_units, 3500);
    EXPECT_EQ(tenant.delta_ttl_ms, 604800000);
    EXPECT_EQ(tenant.faults.throttle_every, 3);
    EXPECT_EQ(tenant.faults.retry_after, "0.5");
}

TEST(EmulatorScenario, AMissingFileIsNamed) {
    try {
        Scenario::load("/nonexistent/scenario.yaml");
        FAIL();
    } catch (const std::runtime_error& failure) {
        EXPECT_NE(std::string(failure.what()).find("/nonexistent/scenario.yaml"), std::string::npos);
    }
}

}  // namespace
}  // namespace vigil::emulator
