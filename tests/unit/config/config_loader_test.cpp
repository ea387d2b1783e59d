#include "config/config_loader.hpp"
#include "app/builtin_plugins.hpp"
#include "plugins/plugin_registry.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <variant>

namespace vigil {
namespace {

class ConfigLoaderTest : public testing::Test {
protected:
    void SetUp() override {
        register_builtin_plugins(registry_);
        registry_.load_file(test::test_plugin_dir() + "/counter.so");
    }
    Config load(const std::string& file) {
        ConfigLoader loader(file);
        return loader.finish(registry_);
    }

    test::TempDir dir_;
    PluginRegistry registry_;
};

const char* const kFull = R"(agent:
  data_dir: ./state
  plugin_dirs: [./plugins]
  log: {level: debug, file: ./state/vigil.log}
  workers: 3
credentials:
  - name: contoso-app
    client_id: 00000000-0000-0000-0000-000000000000
    client_secret: ${env:VIGIL_TEST_SECRET}
  - name: fabrikam-cert
    client_id: 00000000-0000-0000-0000-000000000001
    certificate: {cert: ./certs/f.crt, key: ./certs/f.key}
organizations:
  - name: Contoso
    sources:
      - type: entra_id
        source_group: Cloud
        tenant_id: 11111111-1111-1111-1111-111111111111
        crawl: true
        credentials: contoso-app
        service_account_groups: [Service Accounts, Automation]
        cloud: usgov
        endpoints: {login: https://127.0.0.1:8443, graph: https://127.0.0.1:8443}
        tls: {ca_file: ./ca.pem}
        connectors:
          counter: {interval: 2m, total: 7, page_size: 3}
outputs:
  - {type: jsonl, path: ./out/events.jsonl, include_raw: false}
)";

TEST_F(ConfigLoaderTest, ReadsACompleteConfiguration) {
    setenv("VIGIL_TEST_SECRET", "from-env", 1);
    dir_.write("ca.pem", "a CA file must exist to be accepted\n");
    const Config config = load(dir_.write("vigil.yaml", kFull));
    const std::string base = dir_.path().string();
    EXPECT_EQ(config.agent.data_dir, base + "/state");
    EXPECT_EQ(config.agent.plugin_dirs, std::vector<std::string>{base + "/plugins"});
    EXPECT_EQ(config.agent.log.level, "debug");
    EXPECT_EQ(config.agent.log.file, base + "/state/vigil.log");
    EXPECT_EQ(config.agent.workers, 3);
    ASSERT_EQ(config.credentials.size(), 2u);
    EXPECT_EQ(config.credentials[0].client_secret, "from-env");
    EXPECT_EQ(config.credentials[1].certificate_file, base + "/certs/f.crt");
    EXPECT_EQ(config.credentials[1].private_key_file, base + "/certs/f.key");
    ASSERT_EQ(config.organizations.size(), 1u);
    const SourceConfig& source = config.organizations[0].sources.at(0);
    EXPECT_EQ(source.source_group, "Cloud");
    EXPECT_EQ(source.cloud, "usgov");
    EXPECT_EQ(source.service_account_groups, (std::vector<std::string>{"Service Accounts", "Automation"}));
    EXPECT_EQ(source.login_endpoint, "https://127.0.0.1:8443");
    EXPECT_EQ(source.ca_file, base + "/ca.pem");
    ASSERT_EQ(source.connectors.size(), 1u);
    const ConnectorConfig& counter = source.connectors[0];
    EXPECT_EQ(counter.interval_ms, 120'000);
    EXPECT_EQ(std::get<int64_t>(*counter.settings.find("total")), 7);
    EXPECT_EQ(std::get<int64_t>(*counter.settings.find("page_size")), 3);
    EXPECT_EQ(std::get<int64_t>(*counter.settings.find("overlap")), 0) << "defaults come from the plugin's schema";
    EXPECT_EQ(std::get<std::string>(*counter.settings.find("prefix")), "evt-");
    ASSERT_EQ(config.outputs.size(), 2u) << "the listed jsonl file and the event store, on even when not listed";
    EXPECT_FALSE(config.outputs[0].include_raw);
    EXPECT_EQ(std::get<std::string>(*config.outputs[0].settings.find("path")), base + "/out/events.jsonl");
    EXPECT_EQ(config.outputs[1].type, "store");
    EXPECT_TRUE(config.warnings.empty());
}

TEST_F(ConfigLoaderTest, MergesConfDropInsInNameOrder) {
    const std::string main = dir_.write("vigil.yaml", R"(credentials:
  - {name: app, client_id: 00000000-0000-0000-0000-000000000000, client_secret: "${file:secret.txt}"}
organizations:
  - name: Contoso
)");
    dir_.write("secret.txt", "s3cret\n");
    dir_.write("conf.d/20-fabrikam.yaml", R"(organizations:
  - name: Fabrikam
    sources:
      - {type: entra_id, tenant_id: fabrikam.onmicrosoft.com, credentials: app}
)");
    dir_.write("conf.d/10-northwind.yaml", "organizations:\n  - name: Northwind\n");
    dir_.write("conf.d/ignored.yml.bak", "organizations: [{name: Nope}]\n");
    const Config config = load(main);
    ASSERT_EQ(config.organizations.size(), 3u);
    EXPECT_EQ(config.organizations[0].name, "Contoso");
    EXPECT_EQ(config.organizations[1].name, "Northwind");
    EXPECT_EQ(config.organizations[2].name, "Fabrikam");
    EXPECT_EQ(config.credentials[0].client_secret, "s3cret") << "a ${file:} secret loses its trailing newline";
}

TEST_F(ConfigLoaderTest, ADropInCannotChangeAgentSettings) {
    const std::string main = dir_.write("vigil.yaml", "organizations: []\n");
    dir_.write("conf.d/agent.yaml", "agent: {workers: 9}\n");
    try {
        load(main);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& failure) {
        ASSERT_EQ(failure.problems().size(), 1u);
        EXPECT_EQ(failure.problems()[0].to_string(), dir_.file("conf.d/agent.yaml") +
                                                         ":1:1: unknown key 'agent' in a conf.d file (expected one of: "
                                                         "credentials, organizations, outputs)");
    }
}

TEST_F(ConfigLoaderTest, DefaultsToAJsonlFileInTheDataFolder) {
    const Config config = load(dir_.write("vigil.yaml", "agent: {data_dir: /srv/vigil}\n"));
    ASSERT_EQ(config.outputs.size(), 2u);
    EXPECT_EQ(config.outputs[0].type, "jsonl");
    EXPECT_EQ(std::get<std::string>(*config.outputs[0].settings.find("path")), "/srv/vigil/events.jsonl");
    ASSERT_NE(config.outputs[0].settings.find("fsync"), nullptr) << "the plugin's defaults apply to it too";
    EXPECT_TRUE(std::get<bool>(*config.outputs[0].settings.find("fsync")));
    EXPECT_EQ(config.outputs[1].type, "store");
    EXPECT_EQ(std::get<std::string>(*config.outputs[1].settings.find("path")), "/srv/vigil/events.db");
    EXPECT_FALSE(config.outputs[1].include_raw) << "the store keeps what reports show, not Graph's record";
    EXPECT_EQ(std::get<int64_t>(*config.outputs[1].settings.find("retention")), int64_t{400} * 86'400'000);
    EXPECT_EQ(config.agent.workers, 4);
}

TEST_F(ConfigLoaderTest, TheStoreCanBeMovedOrTurnedOffAndAnyOutputDisabled) {
    const std::string base = dir_.path().string();
    Config config = load(dir_.write("vigil.yaml",
                                    "agent: {data_dir: /srv/vigil}\noutputs:\n"
                                    "  - {type: store, path: ./reports/events.db, include_raw: true}\n"
                                    "  - {type: jsonl, path: ./a.jsonl, enabled: false}\n"));
    ASSERT_EQ(config.outputs.size(), 1u) << "a disabled output is left out";
    EXPECT_EQ(std::get<std::string>(*config.outputs[0].settings.find("path")), base + "/reports/events.db");
    EXPECT_TRUE(config.outputs[0].include_raw);

    config =
        load(dir_.write("vigil.yaml", "outputs:\n  - {type: store, enabled: false}\n  - {type: jsonl, path: a}\n"));
    ASSERT_EQ(config.outputs.size(), 1u);
    EXPECT_EQ(config.outputs[0].type, "jsonl") << "the store turned off is not added back";

    try {
        load(dir_.write("vigil.yaml", "outputs:\n  - {type: store, retention: 1h, enabled: false}\n"));
        FAIL() << "a disabled output is still checked";
    } catch (const ConfigError& failure) {
        ASSERT_EQ(failure.problems().size(), 1u);
        EXPECT_NE(failure.problems()[0].to_string().find("retention"), std::string::npos)
            << failure.problems()[0].to_string();
    }
}

TEST_F(ConfigLoaderTest, WarnsAboutALiteralSecretInAPrivateFileButAcceptsIt) {
    const std::string file = dir_.write("vigil.yaml", R"(credentials:
  - name: app
    client_id: 00000000-0000-0000-0000-000000000000
    client_secret: not-a-reference
)");
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const Config config = load(file);
    ASSERT_EQ(config.warnings.size(), 1u);
    EXPECT_EQ(config.warnings[0].to_string(),
              dir_.file("vigil.yaml") +
                  ":4:20: client_secret of credential 'app' is written in the file: use "
                  "${env:NAME} or ${file:PATH} to keep it out");
    EXPECT_EQ(config.credentials[0].client_secret, "not-a-reference");
}

TEST_F(ConfigLoaderTest, RefusesALiteralSecretThatGroupOrOthersCanRead) {
    const std::string file = dir_.write("vigil.yaml", R"(credentials:
  - name: app
    client_id: 00000000-0000-0000-0000-000000000000
    client_secret: not-a-reference
)");
    std::filesystem::permissions(file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write |
                                           std::filesystem::perms::group_read);
    try {
        load(file);
        FAIL() << "a secret the group can read";
    } catch (const ConfigError& failure) {
        ASSERT_EQ(failure.problems().size(), 1u);
        EXPECT_EQ(failure.problems()[0].to_string(),
                  file +
                      ":4:20: client_secret of credential 'app' is written in the file, which group or others can "
                      "read (mode 0640): chmod 600 " +
                      file +
                      " (owned by the user the agent runs as), or keep the secret out of it with ${env:NAME} or "
                      "${file:PATH}");
        EXPECT_EQ(failure.problems()[0].to_string().find("not-a-reference"), std::string::npos) << "never the secret";
    }
    // A reference in the same file is fine: the secret is elsewhere.
    setenv("VIGIL_TEST_SECRET", "from-the-environment", 1);
    const Config referenced = load(dir_.write("vigil.yaml", R"(credentials:
  - name: app
    client_id: 00000000-0000-0000-0000-000000000000
    client_secret: ${env:VIGIL_TEST_SECRET}
)"));
    EXPECT_TRUE(referenced.warnings.empty());
}

TEST_F(ConfigLoaderTest, TheStatusEndpointTakesATokenAndWarnsWhenItIsOpenToOthers) {
    setenv("VIGIL_TEST_STATUS_TOKEN", "t0ken", 1);
    const Config local = load(dir_.write("vigil.yaml", "agent:\n  status: {listen: 127.0.0.1:9750}\n"));
    EXPECT_EQ(local.agent.status_listen, "127.0.0.1:9750");
    EXPECT_TRUE(local.warnings.empty()) << "loopback needs no token";

    const Config guarded = load(dir_.write(
        "vigil.yaml", "agent:\n  status: {listen: \"[::]:9750\", token: \"${env:VIGIL_TEST_STATUS_TOKEN}\"}\n"));
    EXPECT_EQ(guarded.agent.status_token, "t0ken");
    EXPECT_TRUE(guarded.warnings.empty());

    const std::string literal = dir_.write("vigil.yaml", "agent:\n  status: {listen: 0.0.0.0:9750, token: literal}\n");
    std::filesystem::permissions(literal, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    const Config open = load(literal);
    ASSERT_EQ(open.warnings.size(), 1u) << "a literal token is a warning; with a token, listening wide is not";
    EXPECT_EQ(open.warnings[0].to_string(),
              dir_.file("vigil.yaml") +
                  ":2:41: 'token' in agent.status is written in the file: use ${env:NAME} or ${file:PATH} to keep it "
                  "out");

    const Config exposed = load(dir_.write("vigil.yaml", "agent:\n  status: {listen: 0.0.0.0:9750}\n"));
    ASSERT_EQ(exposed.warnings.size(), 1u);
    EXPECT_EQ(exposed.warnings[0].to_string(),
              dir_.file("vigil.yaml") +
                  ":2:20: the status endpoint listens beyond this machine (0.0.0.0:9750) without a token: anyone "
                  "who reaches it reads the agent's status; set agent.status.token");
}

TEST_F(ConfigLoaderTest, ProblemsNeverQuoteASecret) {
    setenv("VIGIL_TEST_SECRET", "TopSecretValue", 1);
    const std::string file = dir_.write("vigil.yaml", R"(credentials:
  - name: app
    client_id: ${env:VIGIL_TEST_SECRET}
    client_secret: ${env:VIGIL_TEST_SECRET}
)");
    try {
        load(file);
        FAIL() << "client_id is not a GUID";
    } catch (const ConfigError& failure) {
        for (const auto& problem : failure.problems()) {
            EXPECT_EQ(problem.message.find("TopSecretValue"), std::string::npos) << problem.message;
        }
    }
}

TEST_F(ConfigLoaderTest, DisabledConnectorsAndCrawlOffAreKept) {
    const Config config = load(dir_.write("vigil.yaml", R"(credentials:
  - {name: app, client_id: 00000000-0000-0000-0000-000000000000, client_secret: "${env:HOME}"}
organizations:
  - name: Contoso
    sources:
      - type: entra_id
        tenant_id: 11111111-1111-1111-1111-111111111111
        credentials: app
        crawl: false
        connectors:
          counter: {enabled: false}
)"));
    const SourceConfig& source = config.organizations[0].sources[0];
    EXPECT_FALSE(source.crawl);
    EXPECT_FALSE(source.connectors.at(0).enabled);
    EXPECT_EQ(source.connectors.at(0).interval_ms, 300'000);
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

TEST(ShippedConfiguration, ExampleValidates) {
    setenv("CONTOSO_SECRET", "example", 1);
    PluginRegistry registry;
    register_builtin_plugins(registry);
    std::vector<Problem> problems;
    registry.scan({test::plugin_dir()}, problems);  // the Entra connectors, as this build made them
    ASSERT_TRUE(problems.empty()) << problems.front().message;
    ConfigLoader loader(test::source_dir() + "/config/vigil.yaml");
    const Config config = loader.finish(registry);
    EXPECT_EQ(config.organizations.size(), 2u);
    EXPECT_TRUE(config.warnings.empty());
    const auto& connectors = config.organizations[0].sources[0].connectors;
    ASSERT_EQ(connectors.size(), 3u) << "the example shows the three Entra connectors";
    EXPECT_EQ(connectors[2].name, "entra_state");
}

TEST(ShippedConfiguration, AConnectorMayDeclareItsOwnDefaultInterval) {
    PluginRegistry registry;
    register_builtin_plugins(registry);
    std::vector<Problem> problems;
    registry.scan({test::plugin_dir()}, problems);
    test::TempDir dir;
    const std::string file = dir.write(
        "vigil.yaml",
        "credentials:\n  - {name: app, client_id: 00000000-0000-0000-0000-000000000001, client_secret: "
        "\"${env:CONTOSO_SECRET}\"}\norganizations:\n  - name: Contoso\n    sources:\n      - type: entra_id\n"
        "        tenant_id: 00000000-0000-0000-0000-0000000000c0\n        credentials: app\n        connectors:\n"
        "          entra_state: {}\n          entra_activity: {}\n");
    setenv("CONTOSO_SECRET", "example", 1);
    const Config config = ConfigLoader(file).finish(registry);
    const auto& connectors = config.organizations[0].sources[0].connectors;
    ASSERT_EQ(connectors.size(), 2u);
    EXPECT_EQ(connectors[0].interval_ms, 86'400'000) << "Entra State declares a day";
    EXPECT_EQ(connectors[1].interval_ms, 300'000) << "the host's default for the others";
}

}  // namespace
}  // namespace vigil
