// The jsonl output driven through its C descriptor, as the host drives it, with a minimal host context.
#include "outputs/jsonl_output.hpp"
#include "config/plugin_settings.hpp"
#include "outputs/rotated_files.hpp"
#include "plugins/host_context.hpp"
#include "support/test_support.hpp"
#include "util/gzip_file.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>

namespace vigil {
namespace {

constexpr int64_t kDecember5At10 = 1'796'464'800'000;               // 2026-12-05T10:00:00Z
constexpr int64_t kDecember6JustAfterMidnight = 1'796'515'205'000;  // 2026-12-06T00:00:05Z

class RecordingHost final : public vigil_host_ctx {
public:
    void log(vigil_log_level, const char* message) override { logged += std::string(message) + "\n"; }
    int64_t now_ms() override { return now; }
    bool cancelled() override { return false; }
    vigil_status set_resume_token(vigil_str value) override {
        token.assign(value.data, value.size);
        return VIGIL_OK;
    }
    int64_t now = kDecember5At10;
    std::string token;
    std::string logged;
};

std::string offset_of(const std::string& token) {
    return token.substr(0, token.find('@'));
}

// n lines of about `width` bytes each, numbered from first.
std::vector<std::string> lines_of(int first, int n, size_t width = 16) {
    std::vector<std::string> lines;
    for (int i = first; i < first + n; ++i) {
        std::string line = "{\"id\":\"" + std::to_string(i) + "\",\"pad\":\"";
        line.append(width > line.size() + 2 ? width - line.size() - 2 : 0, 'x');
        lines.push_back(line + "\"}");
    }
    return lines;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

class JsonlOutputTest : public testing::Test {
protected:
    void SetUp() override { create({}); }
    void TearDown() override { descriptor_->destroy(instance_); }

    // (Re)creates the output with the schema's defaults, changed by overrides.
    void create(const std::map<std::string, PluginSettings::Value>& overrides) {
        if (instance_ != nullptr) descriptor_->destroy(instance_);
        instance_ = nullptr;
        vigil_config config;
        config.settings.set("path", path_);
        config.settings.set("fsync", true);
        config.settings.set("max_size_mb", int64_t{0});
        config.settings.set("rotate_daily", false);
        config.settings.set("compress", true);
        config.settings.set("max_files", int64_t{0});
        config.settings.set("format", std::string("native"));
        for (const auto& [key, value] : overrides) config.settings.set(key, value);
        char error[256] = {};
        ASSERT_EQ(descriptor_->create(host_table(), &host_, &config, &instance_, error, sizeof(error)), VIGIL_OK)
            << error;
    }

    vigil_status open(const std::string& token) {
        char error[256] = {};
        return descriptor_->open(instance_, vigil_str{token.data(), token.size()}, error, sizeof(error));
    }
    vigil_status write(const std::vector<std::string>& lines) {
        std::vector<vigil_record> records(lines.size());
        std::vector<const vigil_record*> pointers;
        for (size_t i = 0; i < lines.size(); ++i) {
            records[i] = vigil_record{sizeof(vigil_record), i + 1, {nullptr, 0},
                                      {nullptr, 0},         0,     {lines[i].data(), lines[i].size()}};
            pointers.push_back(&records[i]);
        }
        char error[256] = {};
        const vigil_status status =
            descriptor_->write(instance_, pointers.data(), pointers.size(), error, sizeof(error));
        last_error_ = error;
        return status;
    }
    // Everything written so far, rotated files first (decompressed), then the live file.
    std::string everything() const {
        std::string text;
        for (const RotatedFile& file : list_rotated(path_))
            text += file.compressed ? gunzip_file(file.path) : test::read_file(file.path);
        return text + test::read_file(path_);
    }

    test::TempDir dir_;
    std::string path_ = dir_.file("out/events.jsonl");
    const vigil_plugin_descriptor* descriptor_ = jsonl_output_descriptor();
    RecordingHost host_;
    void* instance_ = nullptr;
    std::string last_error_;
};

TEST_F(JsonlOutputTest, FirstOpenRecordsWhereItStartsSoACrashedFirstWriteRewinds) {
    dir_.write("out/events.jsonl", "{\"earlier\":true}\n");  // a file that already held something
    ASSERT_EQ(open(""), VIGIL_OK);
    EXPECT_EQ(offset_of(host_.token), "17");
    const std::string start = host_.token;
    ASSERT_EQ(write({"{\"id\":\"a\"}", "{\"id\":\"b\"}"}), VIGIL_OK);
    EXPECT_EQ(offset_of(host_.token), "39");
    // The process dies before the host saved "39": it reopens at the saved "17", and the batch is written again.
    ASSERT_EQ(open(start), VIGIL_OK);
    ASSERT_EQ(write({"{\"id\":\"a\"}", "{\"id\":\"b\"}"}), VIGIL_OK);
    EXPECT_EQ(test::read_file(path_), "{\"earlier\":true}\n{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
}

TEST_F(JsonlOutputTest, ATokenFromBeforeRotationExistedIsStillAnOffset) {
    dir_.write("out/events.jsonl", "{\"id\":\"a\"}\n{\"id\":\"unconfirmed\"}\n");
    ASSERT_EQ(open("11"), VIGIL_OK);
    EXPECT_EQ(test::read_file(path_), "{\"id\":\"a\"}\n");
}

TEST_F(JsonlOutputTest, TheLiveFileIsReadableByItsGroupOnly) {
    ASSERT_EQ(open(""), VIGIL_OK);
    struct stat info {};
    ASSERT_EQ(::stat(path_.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0640);
}

TEST_F(JsonlOutputTest, AFileShorterThanTheTokenIsAppendedToWithAWarning) {
    ASSERT_EQ(open(""), VIGIL_OK);
    ASSERT_EQ(write({"{\"id\":\"a\"}"}), VIGIL_OK);
    std::filesystem::remove(path_);  // deleted by someone else (the new file may even get the same inode)
    ASSERT_EQ(open(host_.token), VIGIL_OK);
    ASSERT_EQ(write({"{\"id\":\"b\"}"}), VIGIL_OK);
    EXPECT_EQ(test::read_file(path_), "{\"id\":\"b\"}\n");
    EXPECT_NE(host_.logged.find(path_ + " is"), std::string::npos) << host_.logged;
}

TEST_F(JsonlOutputTest, AFileReplacedBySomeoneElseIsAppendedToAndNeverTruncated) {
    ASSERT_EQ(open(""), VIGIL_OK);
    ASSERT_EQ(write({"{\"id\":\"a\"}"}), VIGIL_OK);
    std::filesystem::rename(path_, path_ + ".backup");  // still there: its inode cannot be reused
    dir_.write("out/events.jsonl", "{\"someone\":\"else\",\"longer\":\"than what Vigil wrote\"}\n");
    ASSERT_EQ(open(host_.token), VIGIL_OK);
    ASSERT_EQ(write({"{\"id\":\"b\"}"}), VIGIL_OK);
    EXPECT_EQ(test::read_file(path_), "{\"someone\":\"else\",\"longer\":\"than what Vigil wrote\"}\n{\"id\":\"b\"}\n");
    EXPECT_NE(host_.logged.find(path_ + " is not the file Vigil last wrote"), std::string::npos) << host_.logged;
}

TEST_F(JsonlOutputTest, ABatchLargerThanOneSystemCallIsWrittenWholeAndInOrder) {
    // Lines go to the kernel in groups of at most IOV_MAX / 2 records; a batch of several groups stays in order.
    ASSERT_EQ(open(""), VIGIL_OK);
    const auto lines = lines_of(0, 1500);
    ASSERT_EQ(write(lines), VIGIL_OK);
    EXPECT_EQ(test::read_file(path_), joined(lines));
    EXPECT_EQ(offset_of(host_.token), std::to_string(joined(lines).size()));
}

TEST_F(JsonlOutputTest, TheFileIsRotatedBeforeABatchWouldTakeItPastMaxSizeAndCompressedAtTheNextWrite) {
    create({{"max_size_mb", int64_t{1}}});
    ASSERT_EQ(open(""), VIGIL_OK);
    std::vector<std::string> all;
    for (int batch = 0; batch < 3; ++batch) {  // 500 lines of 1,000 bytes: two batches fit in 1 MiB, not three
        const auto lines = lines_of(batch * 500, 500, 1000);
        ASSERT_EQ(write(lines), VIGIL_OK) << last_error_;
        all.insert(all.end(), lines.begin(), lines.end());
    }
    auto rotated = list_rotated(path_);
    ASSERT_EQ(rotated.size(), 1u);
    EXPECT_FALSE(rotated[0].compressed);  // not yet: its position is confirmed only once the host records this write
    EXPECT_EQ(rotated[0].path, path_ + ".20261205T100000Z");
    EXPECT_EQ(test::read_file(rotated[0].path), joined(std::vector<std::string>(all.begin(), all.begin() + 1000)));
    EXPECT_EQ(test::read_file(path_), joined(std::vector<std::string>(all.begin() + 1000, all.end())));

    ASSERT_EQ(write(lines_of(1500, 1)), VIGIL_OK);
    rotated = list_rotated(path_);
    ASSERT_EQ(rotated.size(), 1u);
    EXPECT_TRUE(rotated[0].compressed);
    EXPECT_EQ(rotated[0].path, path_ + ".20261205T100000Z.gz");
    EXPECT_FALSE(std::filesystem::exists(path_ + ".20261205T100000Z"));
    struct stat info {};
    ASSERT_EQ(::stat(rotated[0].path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0640);
    all.push_back(lines_of(1500, 1)[0]);
    EXPECT_EQ(everything(), joined(all));
}

TEST_F(JsonlOutputTest, DailyRotationHappensAtTheFirstWriteOfANewUtcDay) {
    create({{"rotate_daily", true}, {"compress", false}});
    ASSERT_EQ(open(""), VIGIL_OK);
    ASSERT_EQ(write(lines_of(0, 2)), VIGIL_OK);
    host_.now += 3'600'000;  // same day: no rotation
    ASSERT_EQ(write(lines_of(2, 2)), VIGIL_OK);
    EXPECT_TRUE(list_rotated(path_).empty());
    host_.now = kDecember6JustAfterMidnight;
    ASSERT_EQ(write(lines_of(4, 2)), VIGIL_OK);
    const auto rotated = list_rotated(path_);
    ASSERT_EQ(rotated.size(), 1u);
    EXPECT_EQ(rotated[0].path, path_ + ".20261206T000005Z");
    EXPECT_EQ(test::read_file(rotated[0].path), joined(lines_of(0, 4)));
    EXPECT_EQ(test::read_file(path_), joined(lines_of(4, 2)));
    ASSERT_EQ(write(lines_of(6, 1)), VIGIL_OK);
    EXPECT_FALSE(list_rotated(path_)[0].compressed);  // compress: false
}

TEST_F(JsonlOutputTest, AFileLastWrittenOnAnEarlierDayIsRotatedAtTheFirstWriteAfterARestart) {
    create({{"rotate_daily", true}});
    dir_.write("out/events.jsonl", joined(lines_of(0, 1)));  // its modification time is now: in the real today
    host_.now = kDecember5At10 + 400LL * 86'400'000;         // the host's clock is a year later
    ASSERT_EQ(open(""), VIGIL_OK);
    ASSERT_EQ(write(lines_of(1, 1)), VIGIL_OK);
    ASSERT_EQ(list_rotated(path_).size(), 1u);
    EXPECT_EQ(test::read_file(path_), joined(lines_of(1, 1)));
}

TEST_F(JsonlOutputTest, AStopBetweenRotationAndTheRecordedWriteRewritesTheBatchIntoTheNewFileOnly) {
    create({{"max_size_mb", int64_t{1}}});
    ASSERT_EQ(open(""), VIGIL_OK);
    ASSERT_EQ(write(lines_of(0, 1000, 1000)), VIGIL_OK);
    const std::string recorded = host_.token;               // the host saved this position
    ASSERT_EQ(write(lines_of(1000, 100, 1000)), VIGIL_OK);  // rotates, writes; then the agent is killed
    ASSERT_EQ(list_rotated(path_).size(), 1u);

    ASSERT_EQ(open(recorded), VIGIL_OK);                    // restart: the saved position is in the rotated file
    EXPECT_EQ(test::read_file(path_), "");                  // the unrecorded batch is gone from the new file...
    ASSERT_EQ(write(lines_of(1000, 100, 1000)), VIGIL_OK);  // ...and written again, once
    ASSERT_EQ(write(lines_of(1100, 1)), VIGIL_OK);
    EXPECT_EQ(everything(), joined(lines_of(0, 1100, 1000)) + joined(lines_of(1100, 1)));
    EXPECT_TRUE(list_rotated(path_)[0].compressed);
}

TEST_F(JsonlOutputTest, OnlyTheNewestMaxFilesRotatedFilesAreKept) {
    create({{"max_size_mb", int64_t{1}}, {"max_files", int64_t{2}}});
    ASSERT_EQ(open(""), VIGIL_OK);
    for (int batch = 0; batch < 5; ++batch) {  // each batch fills a file: four rotations
        host_.now += 1000;
        ASSERT_EQ(write(lines_of(batch * 1000, 1000, 1000)), VIGIL_OK);
    }
    ASSERT_EQ(write(lines_of(9000, 1)), VIGIL_OK);  // tidies up
    const auto rotated = list_rotated(path_);
    ASSERT_EQ(rotated.size(), 2u);
    EXPECT_EQ(gunzip_file(rotated[0].path), joined(lines_of(2000, 1000, 1000)));
    EXPECT_EQ(gunzip_file(rotated[1].path), joined(lines_of(3000, 1000, 1000)));
    EXPECT_NE(host_.logged.find("removed " + path_ + ".20261205T100002Z.gz"), std::string::npos) << host_.logged;
}

TEST_F(JsonlOutputTest, ACompressionInterruptedByACrashIsRedoneAndItsPartialFileRemoved) {
    dir_.write("out/events.jsonl.20261204T000000Z", joined(lines_of(0, 3)));
    dir_.write("out/events.jsonl.20261204T000000Z.gz.tmp", "half a gzip stream");
    ASSERT_EQ(open(""), VIGIL_OK);
    EXPECT_FALSE(std::filesystem::exists(path_ + ".20261204T000000Z.gz.tmp"));
    ASSERT_EQ(write(lines_of(3, 1)), VIGIL_OK);
    EXPECT_EQ(gunzip_file(path_ + ".20261204T000000Z.gz"), joined(lines_of(0, 3)));
    EXPECT_FALSE(std::filesystem::exists(path_ + ".20261204T000000Z"));
}

TEST_F(JsonlOutputTest, EcsFormatWritesEachEventMappedOnItsOwnLine) {
    create({{"format", std::string("ecs")}});
    ASSERT_EQ(open(""), VIGIL_OK);
    const std::string record = R"({"id":"e1","connector":"entra_logons","organization":"Contoso","tenant_id":"t1",)"
                               R"("action":"Failed Logon","who":"ann@contoso.com","status":"failure"})";
    ASSERT_EQ(write({record, record}), VIGIL_OK);
    const auto lines = test::read_lines(path_);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_TRUE(lines[0].starts_with(R"({"@timestamp":"1970-01-01T00:00:00.000Z","message":"Failed Logon",)"))
        << lines[0];
    EXPECT_NE(lines[0].find(R"("category":["authentication"])"), std::string::npos) << lines[0];
    EXPECT_EQ(offset_of(host_.token), std::to_string(test::read_file(path_).size()));
}

TEST_F(JsonlOutputTest, AnUnwritableFolderIsAnIoErrorNamingThePath) {
    create({{"path", std::string("/proc/vigil-cannot-write-here/events.jsonl")}});
    char error[256] = {};
    EXPECT_EQ(descriptor_->open(instance_, vigil_str{nullptr, 0}, error, sizeof(error)), VIGIL_ERR_IO);
    EXPECT_NE(std::string(error).find("cannot open /proc/vigil-cannot-write-here/events.jsonl"), std::string::npos)
        << error;
}

}  // namespace
}  // namespace vigil
