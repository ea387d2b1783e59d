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
