#include "app/graph_sources.hpp"

#include "graph/graph_client.hpp"
#include "graph/request_limiter.hpp"

namespace vigil {

std::shared_ptr<const graph::GraphSource> graph_source_for(const Config& config, const OrganizationConfig& organization,
                                                           const SourceConfig& source) {
    const CredentialConfig* credential = config.find_credential(source.credential);
    if (credential == nullptr) return nullptr;
    auto graph = std::make_shared<graph::GraphSource>();
    graph->organization = organization.name;
    graph->tenant_id = source.tenant_id;
    graph->credential.name = credential->name;
    graph->credential.client_id = credential->client_id;
    graph->credential.client_secret = credential->client_secret.value_or("");
    graph->credential.certificate_file = credential->certificate_file;
    graph->credential.private_key_file = credential->private_key_file;
    graph->credential.algorithm = credential->assertion_algorithm == "rs256" ? crypto::AssertionAlgorithm::rs256
                                                                             : crypto::AssertionAlgorithm::ps256;
    graph->endpoints = graph::endpoints_for(source.cloud, source.login_endpoint, source.graph_endpoint);
    graph->ca_file = source.ca_file;
    return graph;
}

graph::GraphBudgets graph_budgets_of(const AgentConfig& agent) {
    graph::GraphBudgets budgets;
    budgets.report_requests = agent.graph_requests;
    budgets.report_window = std::chrono::milliseconds(agent.graph_window_ms);
    budgets.directory_units = agent.graph_resource_units;
    budgets.directory_window = std::chrono::milliseconds(agent.graph_window_ms);
    budgets.sign_in_activity_requests = agent.graph_sign_in_activity_per_minute;
    return budgets;
}

}  // namespace vigil
