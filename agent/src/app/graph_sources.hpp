#pragma once

#include "config/config.hpp"

#include <memory>

namespace vigil {

namespace graph {
struct GraphSource;
struct GraphBudgets;
}  // namespace graph

// How a configured source reaches Graph: its credential, cloud or endpoint overrides, and CA file. nullptr when the
// source names no credential (the configuration loader reports that).
std::shared_ptr<const graph::GraphSource> graph_source_for(const Config& config, const OrganizationConfig& organization,
                                                           const SourceConfig& source);

// The Graph budgets the agent keeps under, from agent.graph.
graph::GraphBudgets graph_budgets_of(const AgentConfig& agent);

}  // namespace vigil
