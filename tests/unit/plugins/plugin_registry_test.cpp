#include "plugins/plugin_registry.hpp"
#include "app/builtin_plugins.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace vigil {
namespace {

namespace fs = std::filesystem;

std::string copy_plugin(const test::TempDir& dir, const std::string& from, const std::string& name) {
    const auto target = dir.path() / name;
    fs::copy_file(from, target, fs::copy_options::overwrite_existing);
    fs::permissions(target, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
    return target.string();
}

TEST(PluginRegistry, LoadsAGoodPluginWithItsSchema) {
    PluginRegistry registry;
    registry.load_file(test::test_plugin_dir() + "/counter.so");
    const PluginInfo* counter = registry.find("counter", VIGIL_KIND_CONNECTOR);
    ASSERT_NE(counter, nullptr);
    EXPECT_EQ(std::string(counter->descriptor->version), "1.0.0");
    EXPECT_EQ(counter->path, test::test_plugin_dir() + "/counter.so");
    ASSERT_GE(counter->schema.size(), 3u);
    EXPECT_EQ(counter->schema[0].name, "total");
    EXPECT_EQ(counter->schema[0].type, VIGIL_VALUE_INT);
    EXPECT_EQ(counter->schema[0].default_value, "100");
    EXPECT_EQ(registry.find("counter", VIGIL_KIND_OUTPUT), nullptr);
}

TEST(PluginRegistry, RefusesAnAbiMismatchNamingBothVersions) {
    PluginRegistry registry;
    try {
        registry.load_file(test::broken_plugin_dir() + "/abi_mismatch.so");
        FAIL() << "loaded a plugin of another ABI";
    } catch (const std::runtime_error& failure) {
        EXPECT_EQ(std::string(failure.what()), "ABI mismatch: the plugin was built for Vigil plugin ABI 2.0, this agent speaks ABI 1." +
                                                  std::to_string(VIGIL_ABI_MINOR) +
                                                  ": rebuild the plugin against this agent's SDK");
    }
    EXPECT_TRUE(registry.all().empty());
}

TEST(PluginRegistry, RefusesALibraryWithoutTheEntrySymbol) {
    PluginRegistry registry;
    try {
        registry.load_file(test::broken_plugin_dir() + "/no_entry.so");
        FAIL() << "loaded a library that is not a plugin";
    } catch (const std::runtime_error& failure) {
        EXPECT_STREQ(failure.what(),
                     "not a Vigil plugin: it exports no 'vigil_plugin_entry' symbol (build it with the "
                     "SDK's VIGIL_PLUGIN macro or remove it)");
    }
}

TEST(PluginRegistry, RefusesAFileThatIsNotALibrary) {
    test::TempDir dir;
    const std::string path = dir.write("notes.so", "this is text, not ELF\n");
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
    PluginRegistry registry;
    try {
        registry.load_file(path);
        FAIL() << "loaded a text file";
    } catch (const std::runtime_error& failure) {
        EXPECT_NE(std::string(failure.what()).find("not a loadable library"), std::string::npos) << failure.what();
    }
}

TEST(PluginRegistry, RefusesPluginsOthersCouldReplace) {
    test::TempDir dir;
    const std::string path = copy_plugin(dir, test::test_plugin_dir() + "/counter.so", "counter.so");
    fs::permissions(path, fs::perms::group_write, fs::perm_options::add);
    PluginRegistry registry;
    try {
        registry.load_file(path);
        FAIL() << "loaded a group-writable plugin";
    } catch (const std::runtime_error& failure) {
        EXPECT_EQ(std::string(failure.what()),
                  path +
                      " is writable by group or others, so anyone could replace the code the agent runs: run "
                      "'chmod go-w " +
                      path + "'");
    }
    // The file is fixed, but its folder is world-writable: still refused.
    fs::permissions(path, fs::perms::group_write, fs::perm_options::remove);
    fs::permissions(dir.path(), fs::perms::others_write, fs::perm_options::add);
    EXPECT_THROW(registry.load_file(path), std::runtime_error);
    fs::permissions(dir.path(), fs::perms::others_write, fs::perm_options::remove);
    registry.load_file(path);
    EXPECT_NE(registry.find("counter"), nullptr);
}

TEST(PluginRegistry, ScanReportsEachBadFileAndKeepsTheGoodOnes) {
    test::TempDir dir;
    copy_plugin(dir, test::test_plugin_dir() + "/counter.so", "a_counter.so");
    copy_plugin(dir, test::test_plugin_dir() + "/counter.so", "b_counter_again.so");
    copy_plugin(dir, test::broken_plugin_dir() + "/no_entry.so", "c_no_entry.so");
    dir.write("README.txt", "not a plugin file name: ignored\n");
    PluginRegistry registry;
    register_builtin_plugins(registry);
    std::vector<Problem> problems;
    registry.scan({dir.path().string(), dir.file("missing")}, problems);
    ASSERT_EQ(problems.size(), 3u);
    EXPECT_EQ(problems[0].to_string(), dir.file("b_counter_again.so") +
                                           ": duplicate plugin name 'counter': also provided by " +
                                           dir.file("a_counter.so") + "; remove one of the two");
    EXPECT_EQ(problems[1].where.file, dir.file("c_no_entry.so"));
    EXPECT_EQ(problems[2].to_string(), dir.file("missing") +
                                           ": plugin folder does not exist or is not a folder: create it or fix "
                                           "agent.plugin_dirs");
    EXPECT_NE(registry.find("counter"), nullptr);
    EXPECT_NE(registry.find("jsonl", VIGIL_KIND_OUTPUT), nullptr);
}

}  // namespace
}  // namespace vigil
