#include "app/doctor_command.hpp"

#include "app/builtin_plugins.hpp"
#include "app/commands.hpp"
#include "app/graph_sources.hpp"
#include "config/config_loader.hpp"
#include "graph/graph_client.hpp"
#include "hooks/service_accounts.hpp"
#include "plugins/plugin_registry.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

namespace vigil {

namespace {

struct Row {
    std::string source;  // organization / tenant
    std::string check;
    bool ok;
    std::string result;  // "ok", or what failed and what to do
};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

void print(const std::vector<Row>& rows) {
    size_t source_width = 6;
    size_t check_width = 5;
    for (const Row& row : rows) {
        source_width = std::max(source_width, row.source.size());
        check_width = std::max(check_width, row.check.size());
    }
    const auto line = [&](const std::string& source, const std::string& check, const std::string& result) {
        std::cout << source << std::string(source_width + 2 - source.size(), ' ') << check
                  << std::string(check_width + 2 - check.size(), ' ') << result << "\n";
    };
    line("SOURCE", "CHECK", "RESULT");
    for (const Row& row : rows) {
        line(row.source, row.check,
             row.ok ? (row.result.empty() ? "ok" : "ok: " + row.result) : "FAILED: " + row.result);
    }
}

void check_source(const Config& config, const PluginRegistry& registry, const OrganizationConfig& organization,
                  const SourceConfig& source, graph::TokenCache& tokens, graph::RequestLimiter& limiter,
                  std::vector<Row>& rows) {
    const std::string name = organization.name + " / " + source.tenant_id;
    if (!source.crawl) {
        rows.push_back({name, "collection", true, "ok"});
        rows.back().result = "skipped (crawl: false)";
        return;
    }
    const auto graph_source = graph_source_for(config, organization, source);
    const std::atomic<bool> never_cancelled{false};
    // Two quick attempts: doctor answers in seconds, it does not wait out a long throttle.
    graph::GraphClient client(*graph_source, tokens, limiter,
                              graph::RetryPolicy{2, std::chrono::milliseconds(500), std::chrono::milliseconds(2000)},
                              never_cancelled);
    const std::string token_check = "token (" + graph_source->credential.name + ")";
    try {
        client.authenticate();
        rows.push_back({name, token_check, true, ""});
    } catch (const std::exception& failure) {
        rows.push_back({name, token_check, false, failure.what()});
        return;  // nothing else can work without a token
    }
    ServiceAccounts::Resolved accounts;
    if (!source.service_account_groups.empty()) {
        // The hooks exclude these accounts: a group name that matches nothing would silently exclude no one.
        const std::string check = "service_account_groups";
        try {
            const ServiceAccounts::Resolved& resolved = accounts =
                resolve_service_accounts(client, source.service_account_groups, 0);
            std::string unknown;
            for (const std::string& group : resolved.unknown_groups)
                unknown += (unknown.empty() ? "'" : ", '") + group + "'";
            if (unknown.empty()) {
                rows.push_back({name, check, true, ""});
                rows.back().result = std::to_string(resolved.accounts) + " service accounts";
            } else {
                rows.push_back({name, check, false,
                                "no group named " + unknown +
                                    " in the tenant: fix service_account_groups (names are "
                                    "matched exactly)"});
            }
        } catch (const std::exception& failure) {
            rows.push_back({name, check, false, failure.what()});
        }
    }
    // Billable accounts, as the seed product counts them: enabled users holding a licence, less service accounts.
    try {
        const BillableAccounts billable = count_billable_accounts(client, accounts);
        rows.push_back({name, "billable accounts", true, ""});
        rows.back().result = std::to_string(billable.billable) + " (" + std::to_string(billable.enabled_licensed) +
                             " enabled and licensed, " + std::to_string(billable.service_accounts) +
                             " of them service accounts)";
    } catch (const std::exception& failure) {
        // Information, not a condition of collection: a source that may not list users still collects.
        rows.push_back({name, "billable accounts", true, ""});
        rows.back().result = std::string("not read: ") + failure.what();
    }
    for (const ConnectorConfig& connector : source.connectors) {
        if (!connector.enabled) continue;
        const PluginInfo* plugin = registry.find(connector.name, VIGIL_KIND_CONNECTOR);
        if (plugin == nullptr || plugin->graph_probes.empty()) {
            rows.push_back({name, connector.name, true, ""});
            continue;
        }
        for (const std::string& probe : plugin->graph_probes) {
            const std::string check = connector.name + ": GET " + probe.substr(0, probe.find('?'));
            try {
                client.get_pages(probe, [](std::string_view) { return false; });  // the first page is enough
                rows.push_back({name, check, true, ""});
            } catch (const std::exception& failure) {
                rows.push_back({name, check, false, failure.what()});
            }
        }
    }
}

}  // namespace

int command_doctor(const CommandLine& line) {
    PluginRegistry registry;
    const std::optional<Config> loaded = load_config_or_explain(line.config_file, registry);
    if (!loaded) return 2;
    const Config& config = *loaded;
    std::vector<const OrganizationConfig*> organizations;
    for (const auto& organization : config.organizations) {
        if (line.organization.empty() || lower(organization.name) == lower(line.organization)) {
            organizations.push_back(&organization);
        }
    }
    if (organizations.empty()) {
        std::string known;
        for (const auto& organization : config.organizations) known += (known.empty() ? "" : ", ") + organization.name;
        std::cerr << "vigil: no organization named '" << line.organization << "' (known: " << known << ")\n";
        return 2;
    }
    graph::TokenCache tokens;
    graph::RequestLimiter limiter(graph_budgets_of(config.agent));
    std::vector<Row> rows;
    for (const OrganizationConfig* organization : organizations) {
        for (const SourceConfig& source : organization->sources) {
            check_source(config, registry, *organization, source, tokens, limiter, rows);
        }
    }
    print(rows);
    const bool all_ok = std::all_of(rows.begin(), rows.end(), [](const Row& row) { return row.ok; });
    return all_ok ? 0 : 1;
}

}  // namespace vigil
