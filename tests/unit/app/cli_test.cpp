#include "app/cli.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace vigil {
namespace {

TEST(CommandLine, ParsesRunOnce) {
    const auto line = parse_command_line({"run", "--config", "vigil.yaml", "--once"});
    EXPECT_EQ(line.command, "run");
    EXPECT_EQ(line.config_file, "vigil.yaml");
    EXPECT_TRUE(line.once);
}

TEST(CommandLine, ParsesValidateAndPluginsList) {
    EXPECT_EQ(parse_command_line({"validate", "--config=a.yaml"}).config_file, "a.yaml");
    const auto line = parse_command_line({"plugins", "list", "-c", "b.yaml"});
    EXPECT_EQ(line.command, "plugins");
    EXPECT_EQ(line.subcommand, "list");
    EXPECT_EQ(line.config_file, "b.yaml");
}

TEST(CommandLine, ParsesCertGenerate) {
    const auto line = parse_command_line({"cert", "generate", "--out", "certs", "--days", "90"});
    EXPECT_EQ(line.command, "cert");
    EXPECT_EQ(line.out_dir, "certs");
    EXPECT_EQ(line.days, 90);
    EXPECT_EQ(parse_command_line({"cert", "generate", "--out", "c"}).days, 365);
    EXPECT_THROW(parse_command_line({"cert", "generate"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"cert", "generate", "--out", "c", "--days", "0"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"cert", "generate", "--out", "c", "--days", "7x"}), std::invalid_argument);
}

TEST(CommandLine, ParsesReportFiltersAndLimit) {
    const auto line = parse_command_line({"report",
                                          "logons",
                                          "-c",
                                          "v.yaml",
                                          "--org",
                                          "Contoso",
                                          "--source-group",
                                          "Cloud",
                                          "--tenant",
                                          "t1",
                                          "--who",
                                          "ann@contoso.com",
                                          "--action",
                                          "Failed Logon",
                                          "--object-type",
                                          "User",
                                          "--status",
                                          "failure",
                                          "--format",
                                          "csv",
                                          "--limit",
                                          "50",
                                          "--since",
                                          "7d"});
    EXPECT_EQ(line.report_kind, "logons");
    EXPECT_EQ(line.organization, "Contoso");
    EXPECT_EQ(line.source_group, "Cloud");
    EXPECT_EQ(line.tenant_id, "t1");
    EXPECT_EQ(line.who, "ann@contoso.com");
    EXPECT_EQ(line.action, "Failed Logon");
    EXPECT_EQ(line.object_type, "User");
    EXPECT_EQ(line.status, "failure");
    EXPECT_EQ(line.report_format, "csv");
    EXPECT_EQ(line.limit, 50);
    EXPECT_EQ(line.since, "7d");
    EXPECT_EQ(parse_command_line({"report", "activity", "-c", "v.yaml"}).limit, -1) << "the format's default";
    EXPECT_EQ(parse_command_line({"report", "activity", "-c", "v.yaml", "--limit", "0"}).limit, 0) << "all";
    EXPECT_THROW(parse_command_line({"report", "activity", "-c", "v.yaml", "--limit", "-1"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"report", "activity", "-c", "v.yaml", "--limit", "ten"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"report", "activity", "-c", "v.yaml", "--limit"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"report", "activity", "-c", "v.yaml", "--status", "failed"}),
                 std::invalid_argument);
    EXPECT_THROW(parse_command_line({"report", "activity", "-c", "v.yaml", "--format", "pdf"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"report", "audit", "-c", "v.yaml"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"run", "-c", "v.yaml", "--who", "x"}), std::invalid_argument)
        << "report flags belong to report";
}

TEST(CommandLine, RejectsBadCommandLines) {
    EXPECT_THROW(parse_command_line({}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"collect"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"run"}), std::invalid_argument);  // no --config
    EXPECT_THROW(parse_command_line({"run", "--config"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"validate", "--config", "a", "--once"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"plugins", "--config", "a"}), std::invalid_argument);
    EXPECT_THROW(parse_command_line({"run", "--config", "a", "--verbose"}), std::invalid_argument);
}

}  // namespace
}  // namespace vigil
