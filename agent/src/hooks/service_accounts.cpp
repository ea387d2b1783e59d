#include "hooks/service_accounts.hpp"

#include "graph/graph_client.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace vigil {

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// Every record of every page of a listing.
template <class OnRecord>
void each_record(graph::GraphClient& client, const std::string& path, OnRecord&& on_record) {
    simdjson::dom::parser parser;
    client.get_pages(path, [&](std::string_view page) {
        simdjson::dom::element root;
        simdjson::dom::array values;
        if (parser.parse(page.data(), page.size(), true).get(root) != simdjson::SUCCESS ||
            root["value"].get_array().get(values) != simdjson::SUCCESS) {
            return false;
        }
        for (simdjson::dom::element value : values) on_record(value);
        return true;
    });
}

std::string_view text_at(simdjson::dom::element element, std::string_view key) {
    std::string_view value;
    return element[key].get_string().get(value) == simdjson::SUCCESS ? value : std::string_view{};
}

}  // namespace

std::string ServiceAccounts::key(std::string_view organization, std::string_view source_group,
                                 std::string_view tenant_id) {
    std::string out(organization);
    out += '\0';
    out += source_group;
    out += '\0';
    out += tenant_id;
    return out;
}

bool ServiceAccounts::contains(const std::string& source_key, std::string_view who) const {
    const auto resolved = get(source_key);
    return resolved != nullptr && !who.empty() && resolved->members.count(lower(who)) != 0;
}

bool ServiceAccounts::stale(const std::string& source_key, int64_t now_ms, int64_t refresh_ms) const {
    const auto resolved = get(source_key);
    return resolved == nullptr || now_ms - resolved->resolved_ms >= refresh_ms;
}

void ServiceAccounts::set(const std::string& source_key, Resolved resolved) {
    auto shared = std::make_shared<const Resolved>(std::move(resolved));
    std::unique_lock lock(mutex_);
    sources_[source_key] = std::move(shared);
}

std::shared_ptr<const ServiceAccounts::Resolved> ServiceAccounts::get(const std::string& source_key) const {
    std::shared_lock lock(mutex_);
    const auto it = sources_.find(source_key);
    return it == sources_.end() ? nullptr : it->second;
}

ServiceAccounts::Resolved resolve_service_accounts(graph::GraphClient& client, const std::vector<std::string>& groups,
                                                   int64_t now_ms) {
    ServiceAccounts::Resolved resolved;
    resolved.resolved_ms = now_ms;
    std::unordered_set<std::string> member_ids;
    for (const std::string& name : groups) {
        std::string literal;  // OData doubles a quote inside a literal
        for (const char c : name) literal += c == '\'' ? std::string("''") : std::string(1, c);
        std::vector<std::string> ids;
        each_record(client, "/v1.0/groups?$filter=displayName eq '" + literal + "'&$select=id,displayName",
                    [&](simdjson::dom::element group) {
                        if (text_at(group, "displayName") == name) ids.emplace_back(text_at(group, "id"));
                    });
        if (ids.empty()) resolved.unknown_groups.push_back(name);
        for (const std::string& id : ids) {
            each_record(
                client, "/v1.0/groups/" + id + "/transitiveMembers?$select=id,userPrincipalName&$top=999",
                [&](simdjson::dom::element member) {
                    member_ids.insert(std::string(text_at(member, "id")));
                    for (const std::string_view field : {text_at(member, "id"), text_at(member, "userPrincipalName")}) {
                        if (!field.empty()) resolved.members.insert(lower(field));
                    }
                });
        }
    }
    resolved.accounts = member_ids.size();
    return resolved;
}

BillableAccounts count_billable_accounts(graph::GraphClient& client,
                                         const ServiceAccounts::Resolved& service_accounts) {
    BillableAccounts counts;
    each_record(
        client, "/v1.0/users?$select=id,accountEnabled,assignedLicenses&$top=999", [&](simdjson::dom::element user) {
            bool enabled = false;
            simdjson::dom::array licenses;
            if (user["accountEnabled"].get_bool().get(enabled) != simdjson::SUCCESS || !enabled ||
                user["assignedLicenses"].get_array().get(licenses) != simdjson::SUCCESS || licenses.size() == 0) {
                return;
            }
            ++counts.enabled_licensed;
            if (service_accounts.members.count(lower(text_at(user, "id"))) != 0) ++counts.service_accounts;
        });
    counts.billable = counts.enabled_licensed - counts.service_accounts;
    return counts;
}

}  // namespace vigil
