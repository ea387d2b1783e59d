#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace vigil {

namespace graph {
class GraphClient;
}

// Billable accounts of a tenant, as the seed product counts them: enabled users holding a licence, less the
// service accounts among them.
struct BillableAccounts {
    size_t enabled_licensed = 0;
    size_t service_accounts = 0;
    size_t billable = 0;
};

// Who each source's service accounts are: the transitive members of its `service_account_groups` (nested groups
// included), by user principal name and object id, case-insensitively. Written by the collection jobs when they
// resolve them through Graph, read by the Lua hooks (ctx.is_service_account) on every worker: thread-safe.
class ServiceAccounts {
public:
    struct Resolved {
        std::unordered_set<std::string> members;  // lower-case UPNs and ids
        std::vector<std::string> unknown_groups;  // names that match no group in the tenant
        size_t accounts = 0;                      // distinct members
        int64_t resolved_ms = 0;
        // Counted with them (the status endpoint shows it); nullopt when the users could not be read.
        std::optional<BillableAccounts> billable;
    };

    // The source as a key: organization, source group and tenant.
    static std::string key(std::string_view organization, std::string_view source_group, std::string_view tenant_id);

    // False when the source has none, or they were never resolved (an event is then kept: nothing is lost).
    bool contains(const std::string& source_key, std::string_view who) const;
    // Whether the source's set is older than refresh_ms (or missing).
    bool stale(const std::string& source_key, int64_t now_ms, int64_t refresh_ms) const;
    void set(const std::string& source_key, Resolved resolved);
    std::shared_ptr<const Resolved> get(const std::string& source_key) const;

private:
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const Resolved>> sources_;
};

// Resolves group names to their transitive members through Graph (`/groups?$filter=displayName eq '...'`, then
// `/groups/{id}/transitiveMembers`). Throws graph::GraphError when Graph cannot be read.
ServiceAccounts::Resolved resolve_service_accounts(graph::GraphClient& client, const std::vector<std::string>& groups,
                                                   int64_t now_ms);

BillableAccounts count_billable_accounts(graph::GraphClient& client, const ServiceAccounts::Resolved& service_accounts);

}  // namespace vigil
