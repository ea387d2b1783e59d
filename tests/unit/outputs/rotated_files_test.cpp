#include "outputs/rotated_files.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace vigil {
namespace {

constexpr int64_t kDecember5At10 = 1'796'464'800'000;  // 2026-12-05T10:00:00Z

TEST(RotatedFiles, AreListedOldestFirstWithCollisionNumbersInNumericOrder) {
    test::TempDir dir;
    const std::string live = dir.write("events.jsonl", "");
    dir.write("events.jsonl.20261205T100000Z-10.gz", "");
    dir.write("events.jsonl.20261205T100000Z-2", "");
    dir.write("events.jsonl.20261205T100000Z", "");
    dir.write("events.jsonl.20261204T235959Z.gz", "");
    dir.write("events.jsonl.20261204T235959Z.gz.tmp", "");  // an interrupted compression: not a rotated file
    dir.write("events.jsonl.backup", "");                   // someone else's
    dir.write("other.jsonl.20261205T100000Z", "");          // another output's
    std::vector<std::string> names;
    for (const RotatedFile& file : list_rotated(live))
        names.push_back(std::filesystem::path(file.path).filename().string() + (file.compressed ? " (gz)" : ""));
    EXPECT_EQ(names, (std::vector<std::string>{"events.jsonl.20261204T235959Z.gz (gz)", "events.jsonl.20261205T100000Z",
                                               "events.jsonl.20261205T100000Z-2",
                                               "events.jsonl.20261205T100000Z-10.gz (gz)"}));
}

TEST(RotatedFiles, ANewNameAvoidsEveryExistingOneCompressedOrNot) {
    test::TempDir dir;
    const std::string live = dir.file("events.jsonl");
    EXPECT_EQ(free_rotated_name(live, kDecember5At10), live + ".20261205T100000Z");
    dir.write("events.jsonl.20261205T100000Z.gz", "");
    EXPECT_EQ(free_rotated_name(live, kDecember5At10), live + ".20261205T100000Z-1");
    dir.write("events.jsonl.20261205T100000Z-1", "");
    EXPECT_EQ(free_rotated_name(live, kDecember5At10 + 999), live + ".20261205T100000Z-2");
}

TEST(RotatedFiles, OnlyPartialCompressionsOfThisFileAreRemoved) {
    test::TempDir dir;
    const std::string live = dir.file("events.jsonl");
    dir.write("events.jsonl.20261205T100000Z.gz.tmp", "");
    dir.write("events.jsonl.20261205T100000Z", "kept");
    dir.write("notes.gz.tmp", "kept");
    remove_partial_compressions(live);
    EXPECT_FALSE(std::filesystem::exists(dir.file("events.jsonl.20261205T100000Z.gz.tmp")));
    EXPECT_TRUE(std::filesystem::exists(dir.file("events.jsonl.20261205T100000Z")));
    EXPECT_TRUE(std::filesystem::exists(dir.file("notes.gz.tmp")));
}

}  // namespace
}  // namespace vigil
