// Every malformed configuration in cases/ states, in trailing `# expect: LINE:COL: message` comments, each problem
// the loader must report, exactly and all at once. The comments come last so they do not shift line numbers.
#include "app/builtin_plugins.hpp"
#include "config/config_loader.hpp"
#include "plugins/plugin_registry.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace vigil {
namespace {

std::string cases_dir() {
    return test::source_dir() + "/tests/unit/config/cases";
}

std::vector<std::string> expectations(const std::string& file) {
    std::vector<std::string> expected;
    for (const auto& line : test::read_lines(file)) {
        const std::string marker = "# expect: ";
        if (line.rfind(marker, 0) != 0) continue;
        // ${DIR} stands for the cases folder, wherever the checkout is.
        std::string text = line.substr(marker.size());
        for (size_t at; (at = text.find("${DIR}")) != std::string::npos;) text.replace(at, 6, cases_dir());
        expected.push_back(file + ":" + text);
    }
    return expected;
}

std::vector<std::string> problems_of(const std::string& file) {
    PluginRegistry registry;
    register_builtin_plugins(registry);
    registry.load_file(test::test_plugin_dir() + "/counter.so");
    std::vector<std::string> found;
    try {
        ConfigLoader loader(file);
        loader.finish(registry);
    } catch (const ConfigError& failure) {
        for (const auto& problem : failure.problems()) found.push_back(problem.to_string());
    }
    return found;
}

class ConfigCase : public testing::TestWithParam<std::string> {};

TEST_P(ConfigCase, ReportsExactlyTheExpectedProblems) {
    const std::string file = cases_dir() + "/" + GetParam();
    const auto expected = expectations(file);
    ASSERT_FALSE(expected.empty()) << file << " has no '# expect:' line";
    const auto found = problems_of(file);
    EXPECT_EQ(found, expected);
}

std::vector<std::string> case_files() {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(cases_dir())) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

INSTANTIATE_TEST_SUITE_P(Malformed, ConfigCase, testing::ValuesIn(case_files()),
                         [](const testing::TestParamInfo<std::string>& param) {
                             std::string name = param.param.substr(0, param.param.find('.'));
                             return name;
                         });

TEST(ConfigCases, ThereAreAtLeastTwentyFive) {
    EXPECT_GE(case_files().size(), 25u);
}

}  // namespace
}  // namespace vigil
