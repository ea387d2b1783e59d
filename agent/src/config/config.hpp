#pragma once

#include "config/plugin_settings.hpp"
#include "config/problem.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil {

struct LogConfig {
    std::string level = "info";  // trace | debug | info | warn | error
    std::string file;            // empty: stderr
};

struct HookConfig {
    std::string path;
    std::string params_yaml;     // the params node re-emitted as YAML, handed to the hook as data
    bool drop_on_error = false;  // on_error: keep (default: nothing is lost to a broken script) | drop
    Position where;
};

struct AgentConfig {
    std::string data_dir;
    std::vector<std::string> plugin_dirs;
    LogConfig log;
    std::string status_listen;  // host:port of the status endpoint; empty: none
    std::string status_token;   // a bearer token every request to it must carry; empty: none (a secret)
    // plugins.allow: when set, only plugin files whose SHA-256 (lower-case hex) is listed are loaded.
    std::optional<std::vector<std::string>> plugin_allow;
    std::vector<HookConfig> hooks;
    // Graph's documented limit on the reporting APIs is 5 requests per 10 s per application per tenant; staying under
    // it makes 429s the exception.
    int graph_requests = 5;
    int64_t graph_window_ms = 10'000;
    // Directory reads draw on ResourceUnits: 3,500 per 10 s for the smallest tenants (under 50 users), 5,000 and
    // 8,000 for larger ones. The smallest is safe for every tenant.
    int graph_resource_units = 3'500;
    // Users with signInActivity have a limit of their own: 10 requests a minute per tenant and application.
    int graph_sign_in_activity_per_minute = 10;
    int graph_max_attempts = 6;
    int workers = 4;  // collection threads, shared by every source
    // How far behind a job's newest event its stored ids are remembered. It must exceed every connector's overlap
    // plus Graph's worst latency (hours); 3 days leaves room without keeping a month of ids for a large tenant.
    int64_t dedupe_window_ms = 3LL * 86'400'000;
    // How long directory snapshots (Entra State) are kept: "the state at 2026-11-01" can be read back this far.
    int64_t state_retention_ms = 400LL * 86'400'000;
    // The spool's disk budget for events not yet delivered by every output (agent.spool.budget_mb; 0: none), and
    // what happens when it is reached: collection pauses (Graph keeps the events), or the oldest are dropped.
    int64_t spool_budget_mb = 10'240;
    bool spool_drop_oldest = false;
    Position where;
};

// Secrets live only here and in the host table's read_secret; nothing formats this struct into a log line.
struct CredentialConfig {
    std::string name;
    std::string client_id;
    std::optional<std::string> client_secret;
    std::string certificate_file;
    std::string private_key_file;
    std::string assertion_algorithm = "ps256";  // ps256 (x5t#S256) | rs256 (x5t)
    Position where;
};

struct ConnectorConfig {
    std::string name;  // the plugin's name, the YAML key under `connectors:`
    bool enabled = true;
    int64_t interval_ms = 5LL * 60'000;
    PluginSettings settings;
    Position where;
};

struct SourceConfig {
    std::string type;  // entra_id
    std::string source_group;
    std::string tenant_id;
    bool crawl = true;
    std::string credential;  // a CredentialConfig name
    std::vector<std::string> service_account_groups;
    std::string cloud = "global";  // global | usgov | usgov_dod | china
    std::string login_endpoint;    // overrides the cloud's login host when set
    std::string graph_endpoint;    // overrides the cloud's Graph host when set
    std::string ca_file;           // an extra trusted CA (PEM)
    std::vector<ConnectorConfig> connectors;
    Position where;
};

struct OrganizationConfig {
    std::string name;
    std::vector<SourceConfig> sources;
    Position where;
};

struct OutputConfig {
    std::string type;  // the output plugin's name
    std::string name;  // unique; defaults to the type; keys the output's delivery cursor
    bool include_raw = true;
    PluginSettings settings;
    Position where;
};

// One immutable snapshot of the whole configuration. A reload builds a new one.
struct Config {
    std::string main_file;
    AgentConfig agent;
    std::vector<CredentialConfig> credentials;
    std::vector<OrganizationConfig> organizations;
    std::vector<OutputConfig> outputs;
    std::vector<Problem> warnings;  // things that work but should change (a literal secret, say)

    const CredentialConfig* find_credential(const std::string& name) const;
};

}  // namespace vigil
