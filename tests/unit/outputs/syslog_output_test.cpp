// The syslog output driven through its C descriptor against a real receiver on loopback (UDP, TCP, TLS).
#include "outputs/syslog_output.hpp"
#include "config/plugin_settings.hpp"
#include "plugins/host_context.hpp"
#include "support/syslog_receiver.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

namespace vigil {
namespace {

using test::SyslogReceiver;
using namespace std::chrono_literals;

class QuietHost final : public vigil_host_ctx {
public:
    void log(vigil_log_level, const char* message) override { logged += std::string(message) + "\n"; }
    int64_t now_ms() override { return 0; }
    bool cancelled() override { return false; }
    vigil_status set_resume_token(vigil_str) override { return VIGIL_OK; }
    std::string logged;
};

std::string record_json(int n, size_t padding = 0) {
    return R"({"id":"e)" + std::to_string(n) +
           R"(","connector":"entra_logons","organization":"Contoso","source_group":"EU","tenant_id":"t1",)"
           R"("time":"2026-12-05T10:00:00.000Z","action":"Failed Logon","object_type":"User","what":"ann",)"
           R"("who":"ann@contoso.com","where":"contoso.com","workstation":"203.0.113.7","status":"failure",)"
           R"("details":{"reason":"bad password)" +
           std::string(padding, '.') + R"("}})";
}

class SyslogOutputTest : public testing::Test {
protected:
    void TearDown() override {
        if (instance_ != nullptr) descriptor_->destroy(instance_);
    }

    // Creates the output with the schema's defaults changed by overrides; returns the create() status.
    vigil_status create(const std::map<std::string, PluginSettings::Value>& overrides) {
        vigil_config config;
        config.settings.set("transport", std::string("tcp"));
        config.settings.set("format", std::string("json"));
        config.settings.set("facility", std::string("local0"));
        config.settings.set("app_name", std::string("vigil"));
        config.settings.set("hostname", std::string("collector-1"));
        config.settings.set("ca_file", std::string());
        config.settings.set("timeout", int64_t{2000});
        config.settings.set("max_message_bytes", int64_t{65000});
        for (const auto& [key, value] : overrides) config.settings.set(key, value);
        error_[0] = '\0';
        const vigil_status status =
            descriptor_->create(host_table(), &host_, &config, &instance_, error_, sizeof(error_));
        if (status == VIGIL_OK) {
            EXPECT_EQ(descriptor_->open(instance_, vigil_str{nullptr, 0}, error_, sizeof(error_)), VIGIL_OK);
        }
        return status;
    }
    // Writes records first..first+count-1 as one batch.
    vigil_status write(int first, int count, size_t padding = 0) {
        std::vector<std::string> jsons;
        std::vector<std::string> ids;
        for (int n = first; n < first + count; ++n) {
            jsons.push_back(record_json(n, padding));
            ids.push_back("e" + std::to_string(n));
        }
        std::vector<vigil_record> records(jsons.size());
        std::vector<const vigil_record*> pointers;
        static const std::string connector = "entra_logons";
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
    static std::string address(const SyslogReceiver& receiver) {
        return "localhost:" + std::to_string(receiver.port());
    }
    std::string expected_message(int n, size_t padding = 0) const {
        return "<132>1 2026-12-05T10:00:00.000Z collector-1 vigil " + std::to_string(::getpid()) + " entra_logons - " +
               record_json(n, padding);
    }

    test::TempDir dir_;
    const vigil_plugin_descriptor* descriptor_ = syslog_output_descriptor();
    QuietHost host_;
    void* instance_ = nullptr;
    char error_[512] = {};
};

TEST_F(SyslogOutputTest, TcpFramesEachMessageWithItsOctetCount) {
    SyslogReceiver receiver(SyslogReceiver::Kind::tcp);
    receiver.start();
    ASSERT_EQ(create({{"address", address(receiver)}}), VIGIL_OK) << error_;
    ASSERT_EQ(write(0, 3), VIGIL_OK) << error_;
    ASSERT_EQ(write(3, 2), VIGIL_OK) << error_;
    ASSERT_TRUE(receiver.wait_for(5, 5s));
    const auto messages = receiver.messages();
    ASSERT_EQ(messages.size(), 5u);
    for (int n = 0; n < 5; ++n) EXPECT_EQ(messages[static_cast<size_t>(n)], expected_message(n));
    EXPECT_EQ(receiver.framing_error(), "");
    EXPECT_EQ(receiver.connections(), 1u);  // one connection, kept between batches
}

TEST_F(SyslogOutputTest, ABatchOfManyMegabytesArrivesWholeAndInOrder) {
    SyslogReceiver receiver(SyslogReceiver::Kind::tcp);
    receiver.start();
    ASSERT_EQ(create({{"address", address(receiver)}}), VIGIL_OK) << error_;
    ASSERT_EQ(write(0, 8192), VIGIL_OK) << error_;  // about 3 MB: several chunks to the socket
    ASSERT_TRUE(receiver.wait_for(8192, 10s));
    const auto messages = receiver.messages();
    for (int n = 0; n < 8192; n += 1000) EXPECT_EQ(messages[static_cast<size_t>(n)], expected_message(n));
    EXPECT_EQ(messages.back(), expected_message(8191));
}

TEST_F(SyslogOutputTest, TlsVerifiesTheReceiverAgainstTheGivenCa) {
    SyslogReceiver receiver(SyslogReceiver::Kind::tls, dir_.file("tls"));
    receiver.start();
    ASSERT_EQ(create({{"address", address(receiver)},
                      {"transport", std::string("tls")},
                      {"ca_file", receiver.ca_file()},
                      {"format", std::string("cef")}}),
              VIGIL_OK)
        << error_;
    ASSERT_EQ(write(0, 2), VIGIL_OK) << error_;
    ASSERT_TRUE(receiver.wait_for(2, 5s));
    EXPECT_TRUE(receiver.messages()[1].starts_with(
        "<132>1 2026-12-05T10:00:00.000Z collector-1 vigil " + std::to_string(::getpid()) +
        " entra_logons - CEF:0|Vigil|Vigil Entra ID Auditing Agent|1.0.0|entra_logons:Failed Logon|Failed Logon|5|"
        "rt=1796464800000 externalId=e1 "))
        << receiver.messages()[1];
}

TEST_F(SyslogOutputTest, OcsfAndEcsBodiesAreTheMappedEvent) {
    SyslogReceiver receiver(SyslogReceiver::Kind::tcp);
    receiver.start();
    ASSERT_EQ(create({{"address", address(receiver)}, {"format", std::string("ocsf")}}), VIGIL_OK) << error_;
    ASSERT_EQ(write(0, 1), VIGIL_OK) << error_;
    ASSERT_TRUE(receiver.wait_for(1, 5s));  // the next message comes on another connection: keep them in order
    descriptor_->destroy(instance_);
    instance_ = nullptr;
    ASSERT_EQ(create({{"address", address(receiver)}, {"format", std::string("ecs")}}), VIGIL_OK) << error_;
    ASSERT_EQ(write(1, 1), VIGIL_OK) << error_;
    ASSERT_TRUE(receiver.wait_for(2, 5s));
    const std::string header =
        "<132>1 2026-12-05T10:00:00.000Z collector-1 vigil " + std::to_string(::getpid()) + " entra_logons - ";
    const auto messages = receiver.messages();
    EXPECT_TRUE(messages[0].starts_with(header + R"({"category_uid":3,"category_name":"Identity & Access )"
                                                 R"(Management","class_uid":3002,)"))
        << messages[0];
    EXPECT_NE(messages[0].find(R"("metadata":{"version":"1.1.0","uid":"e0")"), std::string::npos) << messages[0];
    EXPECT_TRUE(messages[1].starts_with(header + R"({"@timestamp":"2026-12-05T10:00:00.000Z")")) << messages[1];
    EXPECT_NE(messages[1].find(R"("event":{"id":"e1","kind":"event","category":["authentication"])"), std::string::npos)
        << messages[1];
}

TEST_F(SyslogOutputTest, TlsRefusesAReceiverItsCaDidNotSign) {
    SyslogReceiver receiver(SyslogReceiver::Kind::tls, dir_.file("tls"));
    receiver.start();
    const std::string other_ca = SyslogReceiver(SyslogReceiver::Kind::tls, dir_.file("other")).ca_file();
    ASSERT_EQ(create({{"address", address(receiver)}, {"transport", std::string("tls")}, {"ca_file", other_ca}}),
              VIGIL_OK)
        << error_;
    EXPECT_EQ(write(0, 1), VIGIL_ERR_UNAVAILABLE);
    EXPECT_NE(std::string(error_).find("syslog receiver tls://localhost:" + std::to_string(receiver.port())),
              std::string::npos)
        << error_;
    EXPECT_TRUE(receiver.messages().empty());
}

TEST_F(SyslogOutputTest, UdpSendsOneDatagramPerMessageAndCutsWhatIsTooLong) {
    SyslogReceiver receiver(SyslogReceiver::Kind::udp);
    receiver.start();
    ASSERT_EQ(
        create(
            {{"address", address(receiver)}, {"transport", std::string("udp")}, {"max_message_bytes", int64_t{480}}}),
        VIGIL_OK)
        << error_;
    ASSERT_EQ(write(0, 2), VIGIL_OK) << error_;       // short enough
    ASSERT_EQ(write(2, 3, 200), VIGIL_OK) << error_;  // too long
    ASSERT_TRUE(receiver.wait_for(5, 5s));
    const auto messages = receiver.messages();
    EXPECT_EQ(messages[0], expected_message(0));
    EXPECT_EQ(messages[1], expected_message(1));
    for (int n = 2; n < 5; ++n) EXPECT_EQ(messages[static_cast<size_t>(n)], expected_message(n, 200).substr(0, 480));
    EXPECT_NE(host_.logged.find("3 messages longer than max_message_bytes (480)"), std::string::npos) << host_.logged;
}

TEST_F(SyslogOutputTest, AReceiverThatIsDownFailsTheBatchUntilItComesBackAndNothingIsLost) {
    SyslogReceiver receiver(SyslogReceiver::Kind::tcp);
    receiver.start();
    ASSERT_EQ(create({{"address", address(receiver)}}), VIGIL_OK) << error_;
    ASSERT_EQ(write(0, 10), VIGIL_OK) << error_;
    receiver.stop();  // a restart: it reads what it was sent, then refuses connections
    EXPECT_EQ(write(10, 10), VIGIL_ERR_UNAVAILABLE);
    EXPECT_NE(std::string(error_).find("syslog receiver tcp://localhost:"), std::string::npos) << error_;
    EXPECT_EQ(write(10, 10), VIGIL_ERR_UNAVAILABLE);  // the host retries the same batch, with backoff
    receiver.start();
    ASSERT_EQ(write(10, 10), VIGIL_OK) << error_;
    ASSERT_TRUE(receiver.wait_for(20, 5s));
    const auto messages = receiver.messages();
    ASSERT_EQ(messages.size(), 20u);
    for (int n = 0; n < 20; ++n) EXPECT_EQ(messages[static_cast<size_t>(n)], expected_message(n));
}

TEST_F(SyslogOutputTest, SettingsThatCannotWorkAreRefusedAtCreation) {
    EXPECT_EQ(create({{"address", std::string("no-port")}}), VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(error_).find("address: 'no-port' is not host:port"), std::string::npos) << error_;
    EXPECT_EQ(create({{"address", std::string("localhost:514")}, {"transport", std::string("relp")}}),
              VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(error_).find("transport: 'relp' is not udp, tcp or tls"), std::string::npos) << error_;
    EXPECT_EQ(create({{"address", std::string("localhost:514")}, {"facility", std::string("local9")}}),
              VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(create({{"address", std::string("localhost:514")}, {"format", std::string("leef")}}),
              VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_EQ(create({{"address", std::string("localhost:514")}, {"ca_file", std::string("/etc/hosts")}}),
              VIGIL_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(error_).find("ca_file applies only to transport: tls"), std::string::npos) << error_;
}

}  // namespace
}  // namespace vigil
