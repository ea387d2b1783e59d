// The kafka output driven through its C descriptor against librdkafka's mock cluster (real Kafka protocol on
// loopback, brokers that can be taken down).
#include "outputs/kafka_output.hpp"
#include "config/plugin_settings.hpp"
#include "plugins/host_context.hpp"

#include <gtest/gtest.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <map>
#include <random>
#include <set>

namespace vigil {
namespace {

class QuietHost final : public vigil_host_ctx {
public:
    void log(vigil_log_level, const char* message) override { logged += std::string(message) + "\n"; }
    int64_t now_ms() override { return 0; }
    bool cancelled() override { return false; }
    vigil_status set_resume_token(vigil_str) override { return VIGIL_OK; }
    std::string logged;
};

// A Kafka cluster of three mock brokers on loopback, owned by a producer handle of its own.
class MockKafka {
public:
    MockKafka() {
        char error[512] = {};
        rd_kafka_conf_t* conf = rd_kafka_conf_new();
        owner_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof(error));
        cluster_ = rd_kafka_mock_cluster_new(owner_, 3);
    }
    ~MockKafka() {
        rd_kafka_mock_cluster_destroy(cluster_);
        rd_kafka_destroy(owner_);
    }
    MockKafka(const MockKafka&) = delete;
    MockKafka& operator=(const MockKafka&) = delete;

    std::string brokers() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }
    void down() {
        for (int32_t broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_down(cluster_, broker);
    }
    void up() {
        for (int32_t broker = 1; broker <= 3; ++broker) rd_kafka_mock_broker_set_up(cluster_, broker);
    }

    // key -> values of every message in topic, read from the beginning until count distinct keys arrived (or 30 s
    // passed): delivery is at least once, so a key may come twice.
    std::multimap<std::string, std::string> consume(const std::string& topic, size_t count) const {
        char error[512] = {};
        rd_kafka_conf_t* conf = rd_kafka_conf_new();
        std::random_device random;
        const std::string group = "test-" + std::to_string(random());
        for (const auto& [key, value] : std::map<std::string, std::string>{{"bootstrap.servers", brokers()},
                                                                           {"group.id", group},
                                                                           {"auto.offset.reset", "earliest"},
                                                                           {"enable.auto.commit", "false"}}) {
            rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof(error));
        }
        rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof(error));
        rd_kafka_poll_set_consumer(consumer);
        // Every partition from its beginning, assigned directly: no consumer-group rebalance to wait for.
        rd_kafka_topic_t* handle = rd_kafka_topic_new(consumer, topic.c_str(), nullptr);
        const rd_kafka_metadata_t* metadata = nullptr;
        int partitions = 0;
        if (rd_kafka_metadata(consumer, 0, handle, &metadata, 10'000) == RD_KAFKA_RESP_ERR_NO_ERROR) {
            if (metadata->topic_cnt == 1) partitions = metadata->topics[0].partition_cnt;
            rd_kafka_metadata_destroy(metadata);
        }
        rd_kafka_topic_destroy(handle);
        rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(partitions);
        for (int partition = 0; partition < partitions; ++partition)
            rd_kafka_topic_partition_list_add(assignment, topic.c_str(), partition)->offset = RD_KAFKA_OFFSET_BEGINNING;
        rd_kafka_assign(consumer, assignment);
        rd_kafka_topic_partition_list_destroy(assignment);
        std::multimap<std::string, std::string> messages;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        std::set<std::string> keys;
        while (keys.size() < count && std::chrono::steady_clock::now() < deadline) {
            rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 100);
            if (message == nullptr) continue;
            if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
                std::string key(static_cast<const char*>(message->key), message->key_len);
                keys.insert(key);
                messages.emplace(std::move(key), std::string(static_cast<const char*>(message->payload), message->len));
            }
            rd_kafka_message_destroy(message);
        }
        rd_kafka_consumer_close(consumer);
        rd_kafka_destroy(consumer);
        return messages;
    }

private:
    rd_kafka_t* owner_ = nullptr;
    rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

std::string record_json(int n) {
    return R"({"id":"e)" + std::to_string(n) +
           R"(","connector":"entra_logons","organization":"Contoso","tenant_id":"t1","action":"Failed Logon",)"
           R"("who":"ann@contoso.com","status":"failure","details":{"reason":"bad password"}})";
}

class KafkaOutputTest : public testing::Test {
protected:
    void TearDown() override {
        if (instance_ != nullptr) descriptor_->destroy(instance_);
    }
    vigil_status create(const std::map<std::string, PluginSettings::Value>& overrides) {
        if (instance_ != nullptr) descriptor_->destroy(instance_);
        instance_ = nullptr;
        vigil_config config;
        config.settings.set("brokers", kafka_.brokers());
        config.settings.set("topic", std::string("vigil.{connector}"));
        config.settings.set("format", std::string("native"));
        config.settings.set("compression", std::string("lz4"));
        config.settings.set("timeout", int64_t{10'000});
        config.settings.set("properties", std::vector<std::string>{});
        for (const auto& [key, value] : overrides) config.settings.set(key, value);
        error_[0] = '\0';
        const vigil_status status =
            descriptor_->create(host_table(), &host_, &config, &instance_, error_, sizeof(error_));
        if (status == VIGIL_OK) {
            EXPECT_EQ(descriptor_->open(instance_, vigil_str{nullptr, 0}, error_, sizeof(error_)), VIGIL_OK);
        }
        return status;
    }
    // Records first..first+count-1 of connector.
    vigil_status write(int first, int count, const std::string& connector = "entra_logons") {
        std::vector<std::string> jsons;
        std::vector<std::string> ids;
        for (int n = first; n < first + count; ++n) {
            jsons.push_back(record_json(n));
            ids.push_back("e" + std::to_string(n));
        }
        std::vector<vigil_record> records(jsons.size());
        std::vector<const vigil_record*> pointers;
        for (size_t i = 0; i < jsons.size(); ++i) {
            records[i] = vigil_record{sizeof(vigil_record),
                                      i + 1,
                                      {ids[i].data(), ids[i].size()},
                                      {connector.data(), connector.size()},
                                      1'796'464'800'000,
                                      {jsons[i].data(), jsons[i].size()}};
            pointers.push_back(&records[i]);
        }
        error_[0] = '\0';
        return descriptor_->write(instance_, pointers.data(), pointers.size(), error_, sizeof(error_));
    }

    MockKafka kafka_;
    const vigil_plugin_descriptor* descriptor_ = kafka_output_descriptor();
    QuietHost host_;
    void* instance_ = nullptr;
    char error_[512] = {};
};

TEST_F(KafkaOutputTest, EachEventGoesToItsConnectorsTopicKeyedByItsId) {
    ASSERT_EQ(create({}), VIGIL_OK) << error_;
    ASSERT_EQ(write(0, 10), VIGIL_OK) << error_;
    ASSERT_EQ(write(10, 4, "entra_activity"), VIGIL_OK) << error_;
    const auto logons = kafka_.consume("vigil.entra_logons", 10);
    ASSERT_EQ(logons.size(), 10u);
    for (int n = 0; n < 10; ++n) {
        const auto found = logons.find("e" + std::to_string(n));
        ASSERT_NE(found, logons.end()) << n;
        EXPECT_EQ(found->second, record_json(n));
    }
    EXPECT_EQ(kafka_.consume("vigil.entra_activity", 4).size(), 4u);
}

TEST_F(KafkaOutputTest, OcsfFormatSendsTheMappedEvent) {
    ASSERT_EQ(create({{"format", std::string("ocsf")}, {"topic", std::string("siem")}}), VIGIL_OK) << error_;
    ASSERT_EQ(write(0, 1), VIGIL_OK) << error_;
    const auto messages = kafka_.consume("siem", 1);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_TRUE(messages.begin()->second.starts_with(R"({"category_uid":3,)")) << messages.begin()->second;
    EXPECT_NE(messages.begin()->second.find(R"("class_uid":3002)"), std::string::npos);
}

TEST_F(KafkaOutputTest, BrokersThatAreDownFailTheBatchWithinTheTimeoutAndItGoesThroughOnceTheyAreBack) {
    ASSERT_EQ(create({{"timeout", int64_t{2000}}}), VIGIL_OK) << error_;
    ASSERT_EQ(write(0, 2), VIGIL_OK) << error_;
    kafka_.down();
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(write(2, 3), VIGIL_ERR_UNAVAILABLE);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
    EXPECT_NE(std::string(error_).find("of 3 events"), std::string::npos) << error_;
    EXPECT_NE(host_.logged.find("librdkafka "), std::string::npos) << "librdkafka's own messages go to the agent's log";
    kafka_.up();
    ASSERT_EQ(descriptor_->open(instance_, vigil_str{nullptr, 0}, error_, sizeof(error_)), VIGIL_OK);
    vigil_status status = VIGIL_ERR_UNAVAILABLE;
    for (int attempt = 0; attempt < 10 && status != VIGIL_OK; ++attempt) status = write(2, 3);  // the host's retries
    ASSERT_EQ(status, VIGIL_OK) << error_;
    const auto messages = kafka_.consume("vigil.entra_logons", 5);
    for (int n = 0; n < 5; ++n) EXPECT_GE(messages.count("e" + std::to_string(n)), 1u) << n;
}

TEST_F(KafkaOutputTest, SettingsLibrdkafkaRefusesAreRefusedAtCreation) {
    EXPECT_EQ(create({{"properties", std::vector<std::string>{"no.such.property=1"}}}), VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(error_).find("Kafka setting no.such.property"), std::string::npos) << error_;
    EXPECT_EQ(create({{"compression", std::string("brotli")}}), VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(create({{"properties", std::vector<std::string>{"novalue"}}}), VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(create({{"format", std::string("cef")}}), VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(create({{"properties", std::vector<std::string>{"security.protocol=plaintext", "acks=all"}}}), VIGIL_OK)
        << error_;
}

}  // namespace
}  // namespace vigil
