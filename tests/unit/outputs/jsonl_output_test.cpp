// The jsonl output driven through its C descriptor, as the host drives it, with a minimal host context.
#include "outputs/jsonl_output.hpp"
#include "config/plugin_settings.hpp"
#include "plugins/host_context.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace vigil {
namespace {

class RecordingHost final : public vigil_host_ctx {
public:
    void log(vigil_log_level, const char* message) override { logged += std::string(message) + "\n"; }
    int64_t now_ms() override { return 0; }
    bool cancelled() override { return false; }
    vigil_status set_resume_token(vigil_str value) override {
        token.assign(value.data, value.size);
        return VIGIL_OK;
    }
    std::string token;
    std::string logged;
};

class JsonlOutputTest : public testing::Test {
protected:
    void SetUp() override {
        vigil_config config;
        config.settings.set("path", dir_.file("out/events.jsonl"));
        config.settings.set("fsync", true);
        char error[256] = {};
        ASSERT_EQ(descriptor_->create(host_table(), &host_, &config, &instance_, error, sizeof(error)), VIGIL_OK)
            << error;
    }
    void TearDown() override { descriptor_->destroy(instance_); }

    vigil_status open(const std::string& token) {
        char error[256] = {};
        return descriptor_->open(instance_, vigil_str{token.data(), token.size()}, error, sizeof(error));
    }
    vigil_status write(std::vector<std::string> lines) {
        std::vector<vigil_record> records(lines.size());
        std::vector<const vigil_record*> pointers;
        for (size_t i = 0; i < lines.size(); ++i) {
            records[i] = vigil_record{sizeof(vigil_record), i + 1, {nullptr, 0},
                                      {nullptr, 0},         0,     {lines[i].data(), lines[i].size()}};
            pointers.push_back(&records[i]);
        }
        char error[256] = {};
        return descriptor_->write(instance_, pointers.data(), pointers.size(), error, sizeof(error));
    }

    test::TempDir dir_;
    const vigil_plugin_descriptor* descriptor_ = jsonl_output_descriptor();
    RecordingHost host_;
    void* instance_ = nullptr;
};

TEST_F(JsonlOutputTest, FirstOpenRecordsWhereItStartsSoACrashedFirstWriteRewinds) {
    dir_.write("out/events.jsonl", "{\"earlier\":true}\n");  // a file that already held something
    ASSERT_EQ(open(""), VIGIL_OK);
    EXPECT_EQ(host_.token, "17");
    const std::string start = host_.token;
    ASSERT_EQ(write({"{\"id\":\"a\"}", "{\"id\":\"b\"}"}), VIGIL_OK);
    EXPECT_EQ(host_.token, "39");
    // The process dies before the host saved "39": it reopens at the saved "17", and the batch is written again.
    ASSERT_EQ(open(start), VIGIL_OK);
    ASSERT_EQ(write({"{\"id\":\"a\"}", "{\"id\":\"b\"}"}), VIGIL_OK);
    EXPECT_EQ(test::read_file(dir_.file("out/events.jsonl")), "{\"earlier\":true}\n{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
}

TEST_F(JsonlOutputTest, AFileShorterThanTheTokenIsAppendedToWithAWarning) {
    ASSERT_EQ(open(""), VIGIL_OK);
    ASSERT_EQ(write({"{\"id\":\"a\"}"}), VIGIL_OK);
    std::filesystem::remove(dir_.file("out/events.jsonl"));  // rotated away by someone else
    ASSERT_EQ(open(host_.token), VIGIL_OK);
    ASSERT_EQ(write({"{\"id\":\"b\"}"}), VIGIL_OK);
    EXPECT_EQ(test::read_file(dir_.file("out/events.jsonl")), "{\"id\":\"b\"}\n");
    EXPECT_NE(host_.logged.find("is shorter than Vigil last wrote it"), std::string::npos);
}

TEST_F(JsonlOutputTest, ABatchLargerThanOneSystemCallIsWrittenWholeAndInOrder) {
    // Lines go to the kernel in groups of at most IOV_MAX / 2 records; a batch of several groups stays in order.
    ASSERT_EQ(open(""), VIGIL_OK);
    std::vector<std::string> lines;
    std::string expected;
    for (int i = 0; i < 1500; ++i) {
        lines.push_back("{\"id\":\"" + std::to_string(i) + "\"}");
        expected += lines.back() + "\n";
    }
    ASSERT_EQ(write(lines), VIGIL_OK);
    EXPECT_EQ(test::read_file(dir_.file("out/events.jsonl")), expected);
    EXPECT_EQ(host_.token, std::to_string(expected.size()));
}

TEST_F(JsonlOutputTest, AnUnwritableFolderIsAnIoErrorNamingThePath) {
    vigil_config config;
    config.settings.set("path", std::string("/proc/vigil-cannot-write-here/events.jsonl"));
    config.settings.set("fsync", true);
    void* instance = nullptr;
    char error[256] = {};
    ASSERT_EQ(descriptor_->create(host_table(), &host_, &config, &instance, error, sizeof(error)), VIGIL_OK);
    EXPECT_EQ(descriptor_->open(instance, vigil_str{nullptr, 0}, error, sizeof(error)), VIGIL_ERR_IO);
    EXPECT_NE(std::string(error).find("cannot open /proc/vigil-cannot-write-here/events.jsonl"), std::string::npos)
        << error;
    descriptor_->destroy(instance);
}

}  // namespace
}  // namespace vigil
