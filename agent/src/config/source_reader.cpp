// The organizations part of ConfigLoader: organizations, their sources, and each source's connectors.
#include "config/config_loader.hpp"

#include "plugins/plugin_registry.hpp"
#include "util/duration.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>

namespace vigil {

namespace {

bool is_tenant_id(const std::string& text) {
    if (is_guid(text)) return true;
    // A verified domain such as contoso.onmicrosoft.com is accepted by the token endpoint too.
    const bool has_dot = text.find('.') != std::string::npos;
    return has_dot && std::all_of(text.begin(), text.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
           });
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

}  // namespace

void ConfigLoader::read_organizations(const Document& document, const YAML::Node& node,
                                      const PluginRegistry& registry) {
    const ReadContext& context = document.context;
    if (!node.IsSequence()) {
        context.error(node, "'organizations' must be a list of {name, sources}");
        return;
    }
    for (const auto& item : node) {
        const YamlMap map(context, item, "an organization", {"name", "sources"});
        if (!map.valid()) continue;
        OrganizationConfig organization;
        organization.where = context.at(item);
        organization.name = map.string("name", true).value_or("");
        for (const auto& existing : config_.organizations) {
            if (!organization.name.empty() && lower(existing.name) == lower(organization.name)) {
                context.error(map.get("name"), "duplicate organization name '" + organization.name +
                                                   "' (first defined at " + where_text(existing.where) +
                                                   "): merge the two or rename one");
            }
        }
        const YAML::Node sources = map.get("sources");
        if (sources.IsDefined() && !sources.IsSequence()) {
            context.error(sources, "'sources' of organization '" + organization.name + "' must be a list");
        } else if (sources.IsDefined()) {
            for (const auto& source : sources) read_source(document, source, registry, organization);
        }
        config_.organizations.push_back(std::move(organization));
    }
}

void ConfigLoader::read_source(const Document& document, const YAML::Node& node, const PluginRegistry& registry,
                               OrganizationConfig& organization) {
    const ReadContext& context = document.context;
    const std::string what = "a source of organization '" + organization.name + "'";
    const YamlMap map(context, node, what,
                      {"type", "source_group", "tenant_id", "crawl", "credentials", "service_account_groups", "cloud",
                       "endpoints", "tls", "connectors"});
    if (!map.valid()) return;
    SourceConfig source;
    source.where = context.at(node);
    source.type = map.choice_or("type", {"entra_id"}, "entra_id");
    if (!map.get("type").IsDefined()) context.error(node, "missing required key 'type' in " + what + " (entra_id)");
    source.source_group = map.string_or("source_group", "");
    source.tenant_id = map.string("tenant_id", true).value_or("");
    if (!source.tenant_id.empty() && !is_tenant_id(source.tenant_id)) {
        context.error(map.get("tenant_id"), "tenant_id '" + source.tenant_id +
                                                "' is neither a GUID nor a domain name: copy the Directory (tenant) ID "
                                                "from the app registration's overview");
    }
    source.crawl = map.bool_or("crawl", true);
    source.credential = map.string("credentials", true).value_or("");
    source.service_account_groups = map.list_or("service_account_groups", {});
    source.cloud = map.choice_or("cloud", {"global", "usgov", "usgov_dod", "china"}, "global");
    if (const YAML::Node endpoints = map.get("endpoints"); endpoints.IsDefined()) {
        const YamlMap endpoint_map(context, endpoints, "endpoints", {"login", "graph"});
        source.login_endpoint = endpoint_map.string_or("login", "");
        source.graph_endpoint = endpoint_map.string_or("graph", "");
        for (const auto* key : {"login", "graph"}) {
            const std::string value = endpoint_map.string_or(key, "");
            if (!value.empty() && value.rfind("https://", 0) != 0) {
                context.error(endpoint_map.get(key), std::string("endpoints.") + key +
                                                         " must be an https:// URL: Vigil never sends credentials "
                                                         "in clear text");
            }
        }
    }
    if (const YAML::Node tls = map.get("tls"); tls.IsDefined()) {
        const YamlMap tls_map(context, tls, "tls", {"ca_file"});
        source.ca_file = tls_map.path_or("ca_file", "");
        if (!source.ca_file.empty() && !std::ifstream(source.ca_file).good()) {
            context.error(tls_map.get("ca_file"), "tls.ca_file: cannot read " + source.ca_file +
                                                      ": check that it exists and is readable (a PEM file of the "
                                                      "CA that signs the Graph endpoint's certificate)");
        }
    }
    if (const YAML::Node connectors = map.get("connectors"); connectors.IsDefined()) {
        read_connectors(context, connectors, registry, source);
    }
    for (const auto& existing : organization.sources) {
        if (lower(existing.tenant_id) == lower(source.tenant_id) && existing.source_group == source.source_group) {
            context.error(node, "organization '" + organization.name + "' lists tenant " + source.tenant_id +
                                    " twice in source group '" + source.source_group + "' (the other at " +
                                    where_text(existing.where) + "): keep one");
        }
    }
    organization.sources.push_back(std::move(source));
}

void ConfigLoader::read_connectors(const ReadContext& context, const YAML::Node& node, const PluginRegistry& registry,
                                   SourceConfig& source) {
    if (!node.IsMap()) {
        context.error(node, "'connectors' must be a mapping of connector names to their settings");
        return;
    }
    for (const auto& entry : node) {
        const std::string name = entry.first.Scalar();
        const PluginInfo* plugin = registry.find(name, VIGIL_KIND_CONNECTOR);
        if (plugin == nullptr) {
            context.error(entry.first, "unknown connector '" + name +
                                           "' (known: " + join_names(registry.names(VIGIL_KIND_CONNECTOR)) +
                                           "): install its plugin in a plugin folder or fix the name");
            continue;
        }
        std::vector<std::string> allowed{"enabled", "interval"};
        ConnectorConfig connector;
        for (const auto& key : plugin->schema) {
            // A connector may declare its own default interval (Entra State: a day); the host still reads the key.
            if (key.name == "interval") {
                if (key.type == VIGIL_VALUE_DURATION && key.default_value) {
                    connector.interval_ms = parse_duration_ms(*key.default_value).value_or(connector.interval_ms);
                }
                continue;
            }
            allowed.push_back(key.name);
        }
        const YAML::Node settings = entry.second.IsNull() ? YAML::Node(YAML::NodeType::Map) : entry.second;
        const YamlMap map(context, settings, "connector '" + name + "'", allowed);
        connector.name = name;
        connector.where = context.at(entry.first);
        connector.enabled = map.bool_or("enabled", true);
        connector.interval_ms = map.duration_or("interval", connector.interval_ms);
        if (connector.interval_ms < 1000) {
            context.error(map.get("interval"), "'interval' of connector '" + name + "' must be at least 1s");
        }
        connector.settings = read_plugin_settings(map, "connector '" + name + "'", plugin->schema);
        source.connectors.push_back(std::move(connector));
    }
}

void ConfigLoader::check_references() {
    for (const auto& organization : config_.organizations) {
        for (const auto& source : organization.sources) {
            if (source.credential.empty() || config_.find_credential(source.credential) != nullptr) continue;
            std::vector<std::string> names;
            for (const auto& credential : config_.credentials) names.push_back(credential.name);
            problems_.push_back(Problem{source.where, "source " + source.tenant_id + " of organization '" +
                                                          organization.name + "' names unknown credentials '" +
                                                          source.credential + "' (defined: " + join_names(names) +
                                                          "): add it under 'credentials' or fix the name"});
        }
    }
}

}  // namespace vigil
