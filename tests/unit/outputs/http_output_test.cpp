// The http output driven through its C descriptor against a real HTTP(S) receiver on loopback.
#include "outputs/http_output.hpp"
#include "config/plugin_settings.hpp"
#include "plugins/host_context.hpp"
#include "support/http_receiver.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace vigil {
namespace {

using test::HttpReceiver;

class LoggingHost final : public vigil_host_ctx {
public:
    void log(vigil_log_level, const char* message) override { logged += std::string(message) + "\n"; }
    int64_t now_ms() override { return 0; }
    bool cancelled() override { return false; }
    vigil_status set_resume_token(vigil_str) override { return VIGIL_OK; }
    std::string logged;
};

std::string record_json(int n) {
    return R"({"id":"e)" + std::to_string(n) +
           R"(","connector":"entra_logons","organization":"Contoso","tenant_id":"t1","action":"Failed Logon",)"
           R"("who":"ann@contoso.com","status":"failure","details":{"reason":"bad password"}})";
}

std::vector<std::string> ids(int first, int count) {
    std::vector<std::string> out;
    for (int n = first; n < first + count; ++n) out.push_back("e" + std::to_string(n));
    return out;
}

class HttpOutputTest : public testing::Test {
protected:
    void TearDown() override { destroy(); }
    void destroy() {
        if (instance_ != nullptr) descriptor_->destroy(instance_);
        instance_ = nullptr;
    }

    vigil_status create(const std::map<std::string, PluginSettings::Value>& overrides) {
        destroy();
        vigil_config config;
        config.settings.set("mode", std::string("ndjson"));
        config.settings.set("format", std::string("native"));
        config.settings.set("token", std::string());
        config.settings.set("gzip", true);
        config.settings.set("index", std::string());
        config.settings.set("sourcetype", std::string("vigil:event"));
        config.settings.set("hostname", std::string("collector-1"));
        config.settings.set("ca_file", std::string());
        config.settings.set("timeout", int64_t{30'000});  // generous: TLS under ThreadSanitizer is slow
        config.settings.set("retry_wait", int64_t{10});
        config.settings.set("max_request_mb", int64_t{5});
        config.settings.set("max_request_events", int64_t{1000});
        for (const auto& [key, value] : overrides) config.settings.set(key, value);
        error_[0] = '\0';
        const vigil_status status =
            descriptor_->create(host_table(), &host_, &config, &instance_, error_, sizeof(error_));
        if (status == VIGIL_OK) {
            EXPECT_EQ(descriptor_->open(instance_, vigil_str{nullptr, 0}, error_, sizeof(error_)), VIGIL_OK);
        }
        return status;
    }
    vigil_status write(int first, int count) {
        std::vector<std::string> jsons;
        std::vector<std::string> event_ids = ids(first, count);
        for (int n = first; n < first + count; ++n) jsons.push_back(record_json(n));
        std::vector<vigil_record> records(jsons.size());
        std::vector<const vigil_record*> pointers;
        static const std::string connector = "entra_logons";
        for (size_t i = 0; i < jsons.size(); ++i) {
            records[i] = vigil_record{sizeof(vigil_record),
                                      i + 1,
                                      {event_ids[i].data(), event_ids[i].size()},
                                      {connector.data(), connector.size()},
                                      1'796'464'800'000,
                                      {jsons[i].data(), jsons[i].size()}};
            pointers.push_back(&records[i]);
        }
        error_[0] = '\0';
        return descriptor_->write(instance_, pointers.data(), pointers.size(), error_, sizeof(error_));
    }

    test::TempDir dir_;
    const vigil_plugin_descriptor* descriptor_ = http_output_descriptor();
    LoggingHost host_;
    void* instance_ = nullptr;
    char error_[512] = {};
};

TEST_F(HttpOutputTest, NdjsonIsPostedGzippedWithTheBearerToken) {
    HttpReceiver receiver;
    receiver.start();
    ASSERT_EQ(create({{"url", receiver.url("/hook")}, {"token", std::string("s3cret")}}), VIGIL_OK) << error_;
    ASSERT_EQ(write(0, 200), VIGIL_OK) << error_;
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].path, "/hook");
    EXPECT_EQ(requests[0].headers.at("authorization"), "Bearer s3cret");
    EXPECT_EQ(requests[0].headers.at("content-type"), "application/x-ndjson");
    EXPECT_EQ(requests[0].headers.at("content-encoding"), "gzip");
    std::string expected;
    for (int n = 0; n < 200; ++n) expected += record_json(n) + "\n";
    EXPECT_EQ(requests[0].body, expected);
    EXPECT_LT(requests[0].wire_bytes * 5, expected.size());  // compressed on the wire
}

TEST_F(HttpOutputTest, AJsonArrayWithoutGzipAndSplitByMaxRequestEvents) {
    HttpReceiver receiver;
    receiver.start();
    ASSERT_EQ(create({{"url", receiver.url("/hook")},
                      {"mode", std::string("json_array")},
                      {"gzip", false},
                      {"max_request_events", int64_t{3}}}),
              VIGIL_OK)
        << error_;
    ASSERT_EQ(write(0, 10), VIGIL_OK) << error_;
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 4u);
    EXPECT_EQ(requests[0].body, "[" + record_json(0) + "," + record_json(1) + "," + record_json(2) + "]");
    EXPECT_EQ(requests[3].body, "[" + record_json(9) + "]");
    EXPECT_EQ(requests[0].headers.count("content-encoding"), 0u);
    EXPECT_EQ(requests[0].headers.count("authorization"), 0u);
    EXPECT_EQ(receiver.accepted_ids(), ids(0, 10));
}

TEST_F(HttpOutputTest, SplunkHecGetsItsTokenSchemeAndEventMetadata) {
    HttpReceiver receiver;
    receiver.start();
    ASSERT_EQ(create({{"url", receiver.url("/services/collector")},
                      {"mode", std::string("splunk_hec")},
                      {"token", std::string("hec-token")},
                      {"index", std::string("audit")}}),
              VIGIL_OK)
        << error_;
    ASSERT_EQ(write(0, 2), VIGIL_OK) << error_;
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].path, "/services/collector");
    EXPECT_EQ(requests[0].headers.at("authorization"), "Splunk hec-token");
    EXPECT_EQ(
        requests[0].body,
        R"({"time":1796464800.000,"host":"collector-1","source":"vigil:entra_logons","sourcetype":"vigil:event",)"
        R"("index":"audit","event":)" +
            record_json(0) + "}\n" +
            R"({"time":1796464800.000,"host":"collector-1","source":"vigil:entra_logons","sourcetype":"vigil:event",)"
            R"("index":"audit","event":)" +
            record_json(1) + "}\n");
}

TEST_F(HttpOutputTest, EcsFormatSendsTheMappedEventInTheModesEnvelope) {
    HttpReceiver receiver;
    receiver.start();
    ASSERT_EQ(create({{"url", receiver.url("/services/collector")},
                      {"mode", std::string("splunk_hec")},
                      {"format", std::string("ecs")}}),
              VIGIL_OK)
        << error_;
    ASSERT_EQ(write(0, 2), VIGIL_OK) << error_;
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_TRUE(requests[0].body.starts_with(
        R"({"time":1796464800.000,"host":"collector-1","source":"vigil:entra_logons","sourcetype":"vigil:event",)"
        R"("event":{"@timestamp":"2026-12-05T10:00:00.000Z","message":"Failed Logon",)"
        R"("event":{"id":"e0","kind":"event","category":["authentication"],"type":["start"],)"
        R"("action":"Failed Logon","outcome":"failure","module":"vigil","dataset":"vigil.entra_logons"})"))
        << requests[0].body;
    EXPECT_NE(requests[0].body.find(R"("event":{"id":"e1")"), std::string::npos) << requests[0].body;
}

TEST_F(HttpOutputTest, RetryAfterIsHonouredAndTheSameEventsAreSentAgain) {
    HttpReceiver receiver;
    receiver.start();
    receiver.fail_next(1, 503, 1);
    ASSERT_EQ(create({{"url", receiver.url("/hook")}}), VIGIL_OK) << error_;
    const auto started = std::chrono::steady_clock::now();
    ASSERT_EQ(write(0, 5), VIGIL_OK) << error_;
    EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(950));
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].status, 503);
    EXPECT_EQ(requests[1].body, requests[0].body);
    EXPECT_EQ(receiver.accepted_ids(), ids(0, 5));
}

TEST_F(HttpOutputTest, AReceiverThatKeepsFailingFailsTheBatchForTheHostToRetryLater) {
    HttpReceiver receiver;
    receiver.start();
    receiver.fail_next(100, 500);
    ASSERT_EQ(create({{"url", receiver.url("/hook")}}), VIGIL_OK) << error_;
    EXPECT_EQ(write(0, 5), VIGIL_ERR_UNAVAILABLE);
    EXPECT_NE(std::string(error_).find("asked to retry 5 events 4 times: the last answer was (500)"), std::string::npos)
        << error_;
    EXPECT_EQ(receiver.requests().size(), 4u);
}

TEST_F(HttpOutputTest, ARefusedTokenIsDeniedAndSaysWhatToCheck) {
    HttpReceiver receiver;
    receiver.start();
    receiver.fail_next(1, 401);
    ASSERT_EQ(create({{"url", receiver.url("/hook")}, {"token", std::string("wrong")}}), VIGIL_OK) << error_;
    EXPECT_EQ(write(0, 1), VIGIL_ERR_DENIED);
    EXPECT_NE(std::string(error_).find("refused the token (401)"), std::string::npos) << error_;
    EXPECT_EQ(std::string(error_).find("wrong"), std::string::npos) << "the token leaked: " << error_;
}

TEST_F(HttpOutputTest, ElasticsearchRetriesThrottledItemsSkipsRefusedOnesAndNeverStoresTwice) {
    HttpReceiver receiver;
    receiver.bulk_mode();
    receiver.refuse_id("e3");
    receiver.throttle_once("e5");
    receiver.start();
    ASSERT_EQ(create({{"url", receiver.url("/_bulk")},
                      {"mode", std::string("elasticsearch")},
                      {"token", std::string("api-key")}}),
              VIGIL_OK)
        << error_;
    ASSERT_EQ(write(0, 8), VIGIL_OK) << error_;
    auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 2u);  // everything, then e5 alone
    EXPECT_EQ(requests[0].headers.at("authorization"), "ApiKey api-key");
    EXPECT_EQ(requests[1].body, "{\"create\":{\"_index\":\"vigil-events\",\"_id\":\"e5\"}}\n" + record_json(5) + "\n");
    EXPECT_EQ(receiver.accepted_ids(), (std::vector<std::string>{"e0", "e1", "e2", "e4", "e6", "e7", "e5"}));
    EXPECT_NE(host_.logged.find("refused event e3 for good (400): mapper_parsing_exception: failed to parse field "
                                "[details]"),
              std::string::npos)
        << host_.logged;
    // The host sends the batch again (a crash before it recorded the delivery): every document already exists.
    ASSERT_EQ(write(0, 8), VIGIL_OK) << error_;
    EXPECT_EQ(receiver.accepted_ids().size(), 7u);
}

TEST_F(HttpOutputTest, AReceiverThatIsDownFailsTheBatchUntilItIsBack) {
    HttpReceiver receiver;
    receiver.start();
    receiver.stop();
    ASSERT_EQ(create({{"url", receiver.url("/hook")}}), VIGIL_OK) << error_;  // creating does not connect
    EXPECT_EQ(write(0, 3), VIGIL_ERR_UNAVAILABLE);
    EXPECT_NE(std::string(error_).find("POST http://localhost:" + std::to_string(receiver.port()) + "/hook failed"),
              std::string::npos)
        << error_;
    receiver.start();
    ASSERT_EQ(write(0, 3), VIGIL_OK) << error_;
    EXPECT_EQ(receiver.accepted_ids(), ids(0, 3));
}

TEST_F(HttpOutputTest, HttpsVerifiesTheReceiverAgainstTheGivenCa) {
    HttpReceiver receiver(dir_.file("tls"));
    receiver.start();
    ASSERT_EQ(create({{"url", receiver.url("/hook")}, {"ca_file", receiver.ca_file()}}), VIGIL_OK) << error_;
    ASSERT_EQ(write(0, 2), VIGIL_OK) << error_;
    EXPECT_EQ(receiver.accepted_ids(), ids(0, 2));
    const std::string other_ca = HttpReceiver(dir_.file("other")).ca_file();
    ASSERT_EQ(create({{"url", receiver.url("/hook")}, {"ca_file", other_ca}}), VIGIL_OK) << error_;
    EXPECT_EQ(write(2, 1), VIGIL_ERR_UNAVAILABLE);
    EXPECT_EQ(receiver.accepted_ids(), ids(0, 2));
}

TEST_F(HttpOutputTest, SettingsThatCannotWorkAreRefusedAtCreation) {
    EXPECT_EQ(create({{"url", std::string("ftp://example.com/")}}), VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(error_).find("must start with https://"), std::string::npos) << error_;
    EXPECT_EQ(create({{"url", std::string("https://user:pw@example.com/")}}), VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(error_).find("put credentials in token"), std::string::npos) << error_;
    EXPECT_EQ(create({{"url", std::string("https://example.com/")}, {"mode", std::string("kafka")}}),
              VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(create({{"url", std::string("http://example.com/")}, {"ca_file", std::string("/etc/hosts")}}),
              VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(create({{"url", std::string("http://example.com/")}}), VIGIL_OK);
    EXPECT_NE(host_.logged.find("is plain HTTP: events (and the token) travel unencrypted"), std::string::npos)
        << host_.logged;
}

}  // namespace
}  // namespace vigil
