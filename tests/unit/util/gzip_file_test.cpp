#include "util/gzip_file.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <random>

namespace vigil {
namespace {

TEST(GzipFile, ReplacesTheFileByItsCompressedCopyWithTheSameContentAndMode) {
    test::TempDir dir;
    std::string content;
    std::mt19937 random(7);
    for (int i = 0; i < 200'000; ++i) content += static_cast<char>('a' + random() % 4);  // several zlib chunks
    const std::string path = dir.write("events.jsonl.1", content);
    ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
    gzip_file(path);
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_FALSE(std::filesystem::exists(path + ".gz.tmp"));
    EXPECT_LT(std::filesystem::file_size(path + ".gz"), content.size() / 2);
    EXPECT_EQ(gunzip_file(path + ".gz"), content);
    struct stat info {};
    ASSERT_EQ(::stat((path + ".gz").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0640);
}

TEST(GzipFile, AnEmptyFileBecomesAValidEmptyGzip) {
    test::TempDir dir;
    const std::string path = dir.write("empty", "");
    gzip_file(path);
    EXPECT_EQ(gunzip_file(path + ".gz"), "");
}

TEST(GzipFile, AMissingFileIsAnErrorNamingIt) {
    test::TempDir dir;
    try {
        gzip_file(dir.file("absent"));
        FAIL() << "no error";
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find("cannot open " + dir.file("absent")), std::string::npos)
            << error.what();
    }
}

TEST(GunzipFile, RefusesAFileThatIsNotGzipOrIsCutShort) {
    test::TempDir dir;
    EXPECT_THROW(gunzip_file(dir.write("plain.gz", "{\"id\":\"a\"}\n")), std::runtime_error);
    const std::string path = dir.write("whole", std::string(100'000, 'x') + "tail");
    gzip_file(path);
    std::string compressed = test::read_file(path + ".gz");
    compressed.resize(compressed.size() - 10);  // the trailer and a little more
    EXPECT_THROW(gunzip_file(dir.write("cut.gz", compressed)), std::runtime_error);
}

}  // namespace
}  // namespace vigil
