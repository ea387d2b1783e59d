#include "config/config_loader.hpp"

#include "store/event_store.hpp"

#include "hooks/lua_hook.hpp"

#include "config/references.hpp"
#include "plugins/instance_check.hpp"
#include "plugins/plugin_registry.hpp"
#include "util/listen_address.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

namespace vigil {

bool is_guid(const std::string& text) {
    static const std::regex guid("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    return std::regex_match(text, guid);
}

namespace {

// The store keeps what reports show; the record as Graph sent it is most of an event's bytes, and stays in the other
// outputs.
// Graph's record is most of an event's bytes: the jsonl file (the archive) and third-party outputs get it; the
// store and the SIEM feeds, whose receivers index every byte, only when asked (include_raw: true).
bool keeps_raw_by_default(const std::string& output_type) {
    return output_type != "store" && output_type != "syslog" && output_type != "http" && output_type != "kafka";
}

std::vector<std::string> top_keys(bool is_main) {
    if (is_main) return {"agent", "plugins", "credentials", "organizations", "outputs"};
    return {"credentials", "organizations", "outputs"};  // agent settings belong in the main file
}

}  // namespace

std::string where_text(const Position& position) {
    return position.file + ":" + std::to_string(position.line) + ":" + std::to_string(position.column);
}

std::string join_names(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) text += (text.empty() ? "" : ", ") + name;
    return text.empty() ? "none" : text;
}

const CredentialConfig* Config::find_credential(const std::string& name) const {
    for (const auto& credential : credentials) {
        if (credential.name == name) return &credential;
    }
    return nullptr;
}

ConfigLoader::ConfigLoader(const std::string& main_file) {
    config_.main_file = main_file;
    parse_file(main_file, true);
    const std::filesystem::path drop_in_dir = std::filesystem::path(main_file).parent_path() / "conf.d";
    std::error_code error;
    if (std::filesystem::is_directory(drop_in_dir, error)) {
        std::vector<std::string> files;
        for (const auto& entry : std::filesystem::directory_iterator(drop_in_dir, error)) {
            if (entry.is_regular_file() && entry.path().extension() == ".yaml") files.push_back(entry.path().string());
        }
        std::sort(files.begin(), files.end());  // drop-ins merge in name order, like systemd's
        for (const auto& file : files) parse_file(file, false);
    }
    // Defaults that depend on the main file's folder.
    const std::string base = documents_.empty() ? "." : documents_.front().context.base_dir;
    if (config_.agent.data_dir.empty()) config_.agent.data_dir = (std::filesystem::path(base) / "var").string();
}

void ConfigLoader::parse_file(const std::string& path, bool is_main) {
    std::ifstream in(path);
    if (!in) {
        problems_.push_back(Problem{Position{path, 0, 0},
                                    "cannot read the configuration file: check the path and "
                                    "that the agent's user may read it"});
        return;
    }
    std::string base_dir = std::filesystem::path(path).parent_path().string();
    if (base_dir.empty()) base_dir = ".";
    Document document{ReadContext{path, base_dir, &problems_, &config_.warnings}, YAML::Node(), is_main};
    try {
        document.root = YAML::Load(in);
    } catch (const YAML::ParserException& failure) {
        problems_.push_back(Problem{Position{path, failure.mark.line + 1, failure.mark.column + 1},
                                    "YAML syntax error: " + failure.msg});
        return;
    }
    if (!document.root.IsDefined() || document.root.IsNull()) {
        if (is_main)
            problems_.push_back(Problem{Position{path, 1, 1},
                                        "the file is empty: see config/vigil.yaml for a "
                                        "complete example"});
        return;
    }
    documents_.push_back(document);
    const Document& stored = documents_.back();
    const YamlMap top(stored.context, stored.root, is_main ? "the configuration" : "a conf.d file", top_keys(is_main));
    if (is_main && top.get("agent").IsDefined()) read_agent(stored, top.get("agent"));
    if (is_main && top.get("plugins").IsDefined()) read_plugin_allow_list(stored, top.get("plugins"));
}

void ConfigLoader::read_plugin_allow_list(const Document& document, const YAML::Node& node) {
    const ReadContext& context = document.context;
    const YamlMap map(context, node, "plugins", {"allow"});
    const YAML::Node allow = map.get("allow");
    if (!allow.IsDefined()) return;
    std::vector<std::string>& digests = config_.agent.plugin_allow.emplace();
    for (std::string digest : map.list_or("allow", {})) {
        std::transform(digest.begin(), digest.end(), digest.begin(), [](unsigned char c) { return std::tolower(c); });
        if (digest.size() != 64 || digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
            context.error(allow,
                          "each item of 'allow' in plugins must be a SHA-256 digest (64 hex digits, as "
                          "`vigil plugins list` shows it), not '" +
                              digest + "'");
            continue;
        }
        digests.push_back(digest);
    }
}

void ConfigLoader::read_agent(const Document& document, const YAML::Node& node) {
    const ReadContext& context = document.context;
    const YamlMap map(context, node, "agent",
                      {"data_dir", "plugin_dirs", "log", "status", "hooks", "workers", "dedupe_window",
                       "state_retention", "graph", "spool"});
    AgentConfig& agent = config_.agent;
    agent.where = context.at(node);
    agent.data_dir = map.path_or("data_dir", "");
    for (const auto& dir : map.list_or("plugin_dirs", {})) agent.plugin_dirs.push_back(context.resolve_path(dir));
    agent.workers = static_cast<int>(map.int_or("workers", agent.workers));
    if (agent.workers < 1 || agent.workers > 64) {
        context.error(map.get("workers"), "'workers' in agent must be from 1 to 64");
    }
    agent.dedupe_window_ms = map.duration_or("dedupe_window", agent.dedupe_window_ms);
    if (agent.dedupe_window_ms < 3'600'000) {
        context.error(map.get("dedupe_window"),
                      "'dedupe_window' in agent must be at least 1h: it must cover every "
                      "connector's overlap and Graph's latency");
    }
    agent.state_retention_ms = map.duration_or("state_retention", agent.state_retention_ms);
    if (agent.state_retention_ms < 86'400'000) {
        context.error(map.get("state_retention"), "'state_retention' in agent must be at least 1d");
    }
    if (const YAML::Node spool = map.get("spool"); spool.IsDefined()) {
        const YamlMap spool_map(context, spool, "agent.spool", {"budget_mb", "when_full"});
        agent.spool_budget_mb = spool_map.int_or("budget_mb", agent.spool_budget_mb);
        if (agent.spool_budget_mb < 0 || agent.spool_budget_mb > (1LL << 24)) {
            context.error(spool_map.get("budget_mb"),
                          "'budget_mb' in agent.spool must be from 0 (no budget) to 16777216 (16 TiB)");
        }
        const auto when_full = spool_map.string("when_full", false).value_or("pause");
        if (when_full != "pause" && when_full != "drop_oldest") {
            context.error(spool_map.get("when_full"),
                          "'when_full' in agent.spool must be pause (collection waits for the outputs; Graph keeps "
                          "7 to 30 days) or drop_oldest (undelivered events are dropped, and counted)");
        }
        agent.spool_drop_oldest = when_full == "drop_oldest";
    }
    if (const YAML::Node graph = map.get("graph"); graph.IsDefined()) {
        const YamlMap graph_map(context, graph, "agent.graph",
                                {"requests", "window", "resource_units", "sign_in_activity", "max_attempts"});
        agent.graph_requests = static_cast<int>(graph_map.int_or("requests", agent.graph_requests));
        agent.graph_window_ms = graph_map.duration_or("window", agent.graph_window_ms);
        agent.graph_resource_units = static_cast<int>(graph_map.int_or("resource_units", agent.graph_resource_units));
        agent.graph_max_attempts = static_cast<int>(graph_map.int_or("max_attempts", agent.graph_max_attempts));
        agent.graph_sign_in_activity_per_minute =
            static_cast<int>(graph_map.int_or("sign_in_activity", agent.graph_sign_in_activity_per_minute));
        if (agent.graph_requests < 1 || agent.graph_window_ms < 1000 || agent.graph_max_attempts < 1 ||
            agent.graph_resource_units < 5 || agent.graph_sign_in_activity_per_minute < 1) {
            context.error(graph,
                          "agent.graph needs requests >= 1, window >= 1s, resource_units >= 5, sign_in_activity >= 1 "
                          "and max_attempts >= 1");
        }
    }
    if (const YAML::Node log = map.get("log"); log.IsDefined()) {
        const YamlMap log_map(context, log, "agent.log", {"level", "file"});
        agent.log.level = log_map.choice_or("level", {"trace", "debug", "info", "warn", "error"}, "info");
        agent.log.file = log_map.path_or("file", "");
    }
    if (const YAML::Node status = map.get("status"); status.IsDefined()) {
        const YamlMap status_map(context, status, "agent.status", {"listen", "token"});
        agent.status_listen = status_map.string_or("listen", "");
        const auto endpoint = parse_listen_address(agent.status_listen);
        if (!agent.status_listen.empty() && !endpoint) {
            context.error(status_map.get("listen"),
                          "'listen' in agent.status must be HOST:PORT (127.0.0.1:9750, "
                          "[::1]:9750), not '" +
                              agent.status_listen + "'");
        }
        if (const YAML::Node token = status_map.get("token"); token.IsDefined()) {
            agent.status_token = status_map.string("token").value_or("");
            context.literal_secret(token, "'token' in agent.status");
        }
        if (endpoint && !endpoint->loopback && agent.status_token.empty()) {
            context.warn(status_map.get("listen"), "the status endpoint listens beyond this machine (" +
                                                       agent.status_listen +
                                                       ") without a token: anyone who reaches it reads the agent's "
                                                       "status; set agent.status.token");
        }
    }
    if (const YAML::Node hooks = map.get("hooks"); hooks.IsDefined()) {
        if (!hooks.IsSequence()) {
            context.error(hooks, "'hooks' in agent must be a list of {path, params}");
            return;
        }
        for (const auto& hook : hooks) {
            const YamlMap hook_map(context, hook, "a hook", {"path", "params", "on_error"});
            HookConfig config;
            config.where = context.at(hook);
            config.path = context.resolve_path(hook_map.string("path", true).value_or(""));
            if (const YAML::Node params = hook_map.get("params"); params.IsDefined()) {
                YAML::Emitter out;
                out << params;
                config.params_yaml = out.c_str();
            }
            const std::string on_error = hook_map.string_or("on_error", "keep");
            if (on_error != "keep" && on_error != "drop") {
                context.error(hook_map.get("on_error"), "'on_error' of a hook is keep or drop, not '" + on_error + "'");
            }
            config.drop_on_error = on_error == "drop";
            std::error_code error;
            if (!config.path.empty() && !std::filesystem::is_regular_file(config.path, error)) {
                context.error(hook_map.get("path"), "hook script " + config.path + " does not exist: fix the path");
            } else if (!config.path.empty()) {
                // Compiled and run once here, so that `validate` and start-up name a broken script, not the first
                // event.
                if (const std::string problem = check_hook_script(config.path, config.params_yaml); !problem.empty()) {
                    context.error(hook_map.get("path"), problem + ": fix the script");
                }
            }
            agent.hooks.push_back(std::move(config));
        }
    }
}

void ConfigLoader::read_credentials(const Document& document, const YAML::Node& node) {
    const ReadContext& context = document.context;
    if (!node.IsSequence()) {
        context.error(node, "'credentials' must be a list of {name, client_id, client_secret | certificate}");
        return;
    }
    for (const auto& item : node) {
        const YamlMap map(context, item, "a credential", {"name", "client_id", "client_secret", "certificate"});
        if (!map.valid()) continue;
        CredentialConfig credential;
        credential.where = context.at(item);
        credential.name = map.string("name", true).value_or("");
        credential.client_id = map.string("client_id", true).value_or("");
        if (!credential.client_id.empty() && !is_guid(credential.client_id)) {
            context.error(map.get("client_id"), "client_id of credential '" + credential.name +
                                                    "' must be the application (client) ID, a GUID like "
                                                    "00000000-0000-0000-0000-000000000000");
        }
        const YAML::Node secret = map.get("client_secret");
        const YAML::Node certificate = map.get("certificate");
        if (secret.IsDefined()) {
            credential.client_secret = map.string("client_secret").value_or("");
            context.literal_secret(secret, "client_secret of credential '" + credential.name + "'");
        }
        if (certificate.IsDefined()) {
            const YamlMap cert_map(context, certificate, "certificate of credential '" + credential.name + "'",
                                   {"cert", "key", "algorithm"});
            credential.certificate_file = context.resolve_path(cert_map.string("cert", true).value_or(""));
            credential.private_key_file = context.resolve_path(cert_map.string("key", true).value_or(""));
            credential.assertion_algorithm = cert_map.choice_or("algorithm", {"ps256", "rs256"}, "ps256");
        }
        if (secret.IsDefined() == certificate.IsDefined()) {
            context.error(item, "credential '" + credential.name +
                                    "' needs exactly one of client_secret or certificate: {cert, key}");
        }
        if (const CredentialConfig* first = config_.find_credential(credential.name); first != nullptr) {
            context.error(map.get("name"), "duplicate credential name '" + credential.name + "' (first defined at " +
                                               where_text(first->where) + "): rename one");
            continue;
        }
        config_.credentials.push_back(std::move(credential));
    }
}

void ConfigLoader::read_outputs(const Document& document, const YAML::Node& node, const PluginRegistry& registry) {
    const ReadContext& context = document.context;
    if (!node.IsSequence()) {
        context.error(node, "'outputs' must be a list of {type, ...}");
        return;
    }
    outputs_listed_ = true;
    for (const auto& item : node) {
        if (!item.IsMap()) {
            context.error(item, "each output must be a mapping with a 'type'");
            continue;
        }
        const YAML::Node type_node = item["type"];
        if (!type_node.IsDefined()) {
            context.error(item, "missing required key 'type' in an output (one of: " +
                                    join_names(registry.names(VIGIL_KIND_OUTPUT)) + ")");
            continue;
        }
        const std::string type = type_node.IsScalar() ? type_node.Scalar() : "";
        const PluginInfo* plugin = registry.find(type, VIGIL_KIND_OUTPUT);
        if (plugin == nullptr) {
            context.error(type_node, "unknown output type '" + type +
                                         "' (known: " + join_names(registry.names(VIGIL_KIND_OUTPUT)) +
                                         "): install its plugin in a plugin folder or fix the type");
            continue;
        }
        std::vector<std::string> allowed{"type", "name", "include_raw", "enabled"};
        for (const auto& key : plugin->schema) allowed.push_back(key.name);
        const YamlMap map(context, item, "output '" + type + "'", allowed);
        OutputConfig output;
        output.where = context.at(item);
        output.type = type;
        output.name = map.string_or("name", type);
        output.include_raw = map.bool_or("include_raw", keeps_raw_by_default(type));
        output.settings = read_plugin_settings(map, "output '" + type + "'", plugin->schema);
        if (type == "store") store_listed_ = true;
        if (type == "store" && !item["path"].IsDefined()) {
            output.settings.set("path", default_event_store_path(config_.agent.data_dir));
        }
        // A disabled output is still checked, so that turning it back on does not meet a surprise.
        if (!map.bool_or("enabled", true)) continue;
        for (const auto& existing : config_.outputs) {
            if (existing.name == output.name) {
                context.error(item, "two outputs are named '" + output.name + "' (the other at " +
                                        where_text(existing.where) + "): give each a distinct 'name'");
            }
        }
        config_.outputs.push_back(std::move(output));
    }
}

void ConfigLoader::add_implicit_output(const PluginRegistry& registry, const std::string& type,
                                       const std::string& path) {
    const PluginInfo* plugin = registry.find(type, VIGIL_KIND_OUTPUT);
    if (plugin == nullptr) return;
    OutputConfig output;
    output.type = output.name = type;
    output.include_raw = keeps_raw_by_default(type);
    output.where = Position{config_.main_file, 0, 0};
    output.settings.set("path", path);
    apply_defaults(plugin->schema, output.settings);
    config_.outputs.push_back(std::move(output));
}

Config ConfigLoader::finish(const PluginRegistry& registry) {
    for (const Document& document : documents_) {
        if (!document.root.IsMap()) continue;
        const YAML::Node credentials = document.root["credentials"];
        if (credentials.IsDefined()) read_credentials(document, credentials);
    }
    for (const Document& document : documents_) {
        if (!document.root.IsMap()) continue;
        const YAML::Node organizations = document.root["organizations"];
        if (organizations.IsDefined()) read_organizations(document, organizations, registry);
        const YAML::Node outputs = document.root["outputs"];
        if (outputs.IsDefined()) read_outputs(document, outputs, registry);
    }
    // No outputs configured: the default is a JSONL file in the data folder.
    if (!outputs_listed_) {
        add_implicit_output(registry, "jsonl",
                            (std::filesystem::path(config_.agent.data_dir) / "events.jsonl").string());
    }
    // The event store is on even when not listed: the reports read it. `{type: store, enabled: false}` turns it off.
    if (!store_listed_) add_implicit_output(registry, "store", default_event_store_path(config_.agent.data_dir));
    check_references();
    if (!problems_.empty()) throw ConfigError(problems_);
    return config_;
}

Config load_config(const std::string& main_file, PluginRegistry& registry) {
    ConfigLoader loader(main_file);
    std::vector<Problem> not_allowed;
    registry.scan(loader.agent().plugin_dirs, loader.problems(), loader.agent().plugin_allow, &not_allowed);
    Config config;
    try {
        config = loader.finish(registry);
    } catch (const ConfigError& failure) {
        // A plugin left out by plugins.allow is a warning, but when something needed it, it is the reason: say it.
        std::vector<Problem> problems;
        for (Problem problem : not_allowed) {
            problem.message = "warning: " + problem.message;
            problems.push_back(std::move(problem));
        }
        problems.insert(problems.end(), failure.problems().begin(), failure.problems().end());
        throw ConfigError(std::move(problems));
    }
    config.warnings.insert(config.warnings.begin(), not_allowed.begin(), not_allowed.end());
    // Only a configuration that passed every schema reaches the plugins themselves.
    if (std::vector<Problem> refused = check_plugin_instances(config, registry); !refused.empty()) {
        throw ConfigError(std::move(refused));
    }
    return config;
}

}  // namespace vigil
