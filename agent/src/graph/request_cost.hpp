#pragma once

#include <string>

namespace vigil::graph {

// Which of Graph's budgets a request draws on, and how much (graph-api.md section 4.1). The identity and access
// reports (auditLogs, authentication method reports) count requests: 5 per 10 s per tenant and application;
// signInActivity has its own, 10 a minute. Directory reads count ResourceUnits against a per tenant+application
// bucket (3,500 to 8,000 per 10 s by tenant size).
struct RequestCost {
    enum class Budget { reports, sign_in_activity, directory };
    Budget budget = Budget::reports;
    int units = 1;
};

// The cost of GET url (a path with its query, or a whole URL): users and applications 2 units, members 3,
// transitiveMembers 5, other reads 1; $select takes one off, $top under 20 one off, $expand adds one; at least 1.
RequestCost request_cost(const std::string& url);

}  // namespace vigil::graph
