#include "directory_endpoint.hpp"

#include "directory_filter.hpp"
#include "directory_render.hpp"
#include "emulator.hpp"
#include "graph_common.hpp"

#include <Poco/URI.h>

#include <algorithm>
#include <functional>
#include <regex>

namespace vigil::emulator {

namespace {

using Resource = DirectoryListing::Resource;

// One object of a listing, ready to filter and render.
struct Item {
    Properties properties;
    const ObjectType* type;
};

const char* collection_name(Resource resource) {
    switch (resource) {
        case Resource::users:
            return "users";
        case Resource::groups:
            return "groups";
        case Resource::members:
        case Resource::transitive_members:
        case Resource::role_members:
            return "directoryObjects";
        case Resource::roles:
            return "directoryRoles";
        case Resource::applications:
            return "applications";
        case Resource::service_principals:
            return "servicePrincipals";
        case Resource::registration_details:
            return "reports/authenticationMethods/userRegistrationDetails";
        case Resource::organization:
            return "organization";
    }
    return "";
}

// The base ResourceUnit cost of a GET (graph-api.md section 4.1), then the modifiers: $select -1, $top < 20 -1.
int cost_of(Resource resource, bool selected, int top) {
    int cost = 1;
    if (resource == Resource::users || resource == Resource::applications) cost = 2;
    if (resource == Resource::members) cost = 3;
    if (resource == Resource::transitive_members) cost = 5;
    if (selected) --cost;
    if (top < 20) --cost;
    return std::max(cost, 1);
}

// The least privileged application permission first, as the documentation lists them; Directory.Read.All covers all
// directory reads.
std::vector<const char*> permissions_for(Resource resource) {
    switch (resource) {
        case Resource::users:
            return {"User.Read.All", "Directory.Read.All"};
        case Resource::groups:
        case Resource::members:
        case Resource::transitive_members:
            return {"GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"};
        case Resource::roles:
        case Resource::role_members:
            return {"RoleManagement.Read.Directory", "Directory.Read.All"};
        case Resource::applications:
        case Resource::service_principals:
            return {"Application.Read.All", "Directory.Read.All"};
        case Resource::registration_details:
            return {"AuditLog.Read.All"};
        case Resource::organization:
            return {"Organization.Read.All", "Directory.Read.All"};
    }
    return {};
}

const std::map<std::string, std::set<std::string>>& filterable(Resource resource) {
    static const std::map<std::string, std::set<std::string>> users{
        {"accountEnabled", {"eq", "ne"}},
        {"userType", {"eq", "ne"}},
        {"signInActivity/lastSignInDateTime", {"eq", "ne", "ge", "le"}}};
    static const std::map<std::string, std::set<std::string>> groups{
        {"displayName", {"eq"}}, {"securityEnabled", {"eq", "ne"}}, {"mailEnabled", {"eq", "ne"}}};
    static const std::map<std::string, std::set<std::string>> registrations{
        {"isMfaRegistered", {"eq"}}, {"isAdmin", {"eq"}}, {"userType", {"eq"}}};
    static const std::map<std::string, std::set<std::string>> roles{{"roleTemplateId", {"eq"}}};
    static const std::map<std::string, std::set<std::string>> none;
    switch (resource) {
        case Resource::users:
            return users;
        case Resource::groups:
            return groups;
        case Resource::registration_details:
            return registrations;
        case Resource::roles:
            return roles;
        default:
            return none;
    }
}

// A member's rendering: its own type's properties, as Graph lists directoryObjects of mixed types.
Item member_item(const Directory& directory, const std::string& id) {
    if (const auto* user = directory.find_user(id)) return {user_properties(*user, false), &user_type()};
    if (const auto* group = directory.find_group(id)) return {group_properties(*group), &group_type()};
    const auto* principal = directory.find_service_principal(id);
    return {principal ? service_principal_properties(*principal) : Properties{{"id", "\"" + id + "\""}},
            &service_principal_type()};
}

bool is_role_member(const Directory& directory, const std::string& id) {
    return std::any_of(directory.roles().begin(), directory.roles().end(), [&](const DirectoryRole& role) {
        return std::find(role.member_ids.begin(), role.member_ids.end(), id) != role.member_ids.end();
    });
}

}  // namespace

DirectoryListing* DirectoryListing::for_path(GraphEmulator& emulator, const std::string& path) {
    static const std::regex form(
        R"(^/(v1\.0|beta)/(users|groups|directoryRoles|applications|servicePrincipals|organization|)"
        R"(reports/authenticationMethods/userRegistrationDetails)(?:/([^/]+)/(members|transitiveMembers))?$)");
    std::smatch match;
    if (!std::regex_match(path, match, form)) return nullptr;
    const std::string collection = match[2];
    const std::string relation = match[4];
    const std::string id = match[3];
    Resource resource;
    if (collection == "users" && relation.empty()) {
        resource = Resource::users;
    } else if (collection == "groups") {
        resource = relation.empty()        ? Resource::groups
                   : relation == "members" ? Resource::members
                                           : Resource::transitive_members;
    } else if (collection == "directoryRoles" && relation != "transitiveMembers") {
        resource = relation.empty() ? Resource::roles : Resource::role_members;
    } else if (collection == "applications" && relation.empty()) {
        resource = Resource::applications;
    } else if (collection == "servicePrincipals" && relation.empty()) {
        resource = Resource::service_principals;
    } else if (collection == "organization" && relation.empty()) {
        resource = Resource::organization;
    } else if (relation.empty() && collection.rfind("reports/", 0) == 0) {
        resource = Resource::registration_details;
    } else {
        return nullptr;
    }
    return new DirectoryListing(emulator, resource, id, match[1]);
}

void DirectoryListing::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const auto caller = authorize(emulator_, request, response, permissions_for(resource_));
    if (!caller) return;
    const Tenant& tenant = *caller->tenant;
    const bool unpaged =
        resource_ == Resource::roles || resource_ == Resource::role_members || resource_ == Resource::organization;
    const std::string uri = request.getURI();
    if (unpaged && uri.find("$top=") != std::string::npos) {
        send_graph_error(response, 400, "BadRequest", "Query option 'Top' is not allowed.");
        return;
    }
    const auto query = read_list_query(uri, tenant, response, {100, 999});
    if (!query) return;
    std::string error;
    const ObjectType* type = resource_ == Resource::users                ? &user_type()
                             : resource_ == Resource::groups             ? &group_type()
                             : resource_ == Resource::roles              ? &role_type()
                             : resource_ == Resource::applications       ? &application_type()
                             : resource_ == Resource::service_principals ? &service_principal_type()
                                                                         : nullptr;
    std::set<std::string> selected;
    if (!query->select.empty() && resource_ == Resource::registration_details) {
        // The documentation: userRegistrationDetails supports only $filter and $orderby.
        send_graph_error(response, 400, "BadRequest", "Query option 'Select' is not allowed.");
        return;
    }
    if (type != nullptr) {
        const auto read = read_select(query->select, *type, error);
        if (!read) {
            send_graph_error(response, 400, "Request_BadRequest", error);
            return;
        }
        selected = *read;
    } else if (!query->select.empty()) {
        for (const ObjectType* member_type : {&user_type(), &group_type(), &service_principal_type()}) {
            const auto read = read_select(query->select, *member_type, error);
            if (read) selected.insert(read->begin(), read->end());
        }
    }
    const auto clauses = parse_directory_filter(query->filter, filterable(resource_), error);
    if (!clauses) {
        send_graph_error(response, 400, "Request_UnsupportedQuery", error);
        return;
    }
    const bool sign_in_activity =
        selected.count("signInActivity") > 0 || query->filter.find("signInActivity") != std::string::npos;
    if (sign_in_activity && clauses->size() > 1) {
        send_graph_error(response, 400, "Request_UnsupportedQuery",
                         "signInActivity cannot be filtered together with other properties.");
        return;
    }
    if (sign_in_activity && !caller->application->has_permission("AuditLog.Read.All")) {
        send_graph_error(response, 403, "Authorization_RequestDenied",
                         "Insufficient privileges to complete the operation.");
        return;
    }
    if ((sign_in_activity || resource_ == Resource::registration_details) && !tenant.premium) {
        send_graph_error(response, 403, "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                         "Neither tenant is B2C or tenant doesn't have premium license");
        return;
    }
    const Budget budget = resource_ == Resource::registration_details ? Budget::reports : Budget::directory;
    if (!within_limits(emulator_, *caller, budget, cost_of(resource_, !query->select.empty(), query->top), response))
        return;
    bool cut_page = false;
    if (play_faults(emulator_, tenant, request, response, cut_page)) return;

    // Graph pages signInActivity at most 500 users at a time, whatever $top asks (graph-api.md section 3.1).
    const int top = sign_in_activity ? std::min(query->top, 500) : query->top;
    // Each object's rendering is deferred: without a $filter or $orderby only the page's objects are rendered (a
    // listing of 100 k users is paged a thousand times).
    // Objects are rendered on demand, by index: without a $filter or $orderby only the page's objects are rendered
    // (a listing of 100 k users is paged a thousand times).
    size_t count = 0;
    std::function<Item(size_t)> make_at;
    std::vector<Item> items;
    bool found = true;
    const size_t start = static_cast<size_t>(query->position.value_or(0));
    const bool sorted =
        resource_ == Resource::registration_details && query->orderby.rfind("userPrincipalName", 0) == 0;
    const bool whole = !clauses->empty() || sorted;
    size_t total = 0;
    std::vector<std::string> member_ids;
    emulator_.directory(tenant.id).read([&](const Directory& directory) {
        switch (resource_) {
            case Resource::users:
                count = directory.users().size();
                make_at = [&](size_t i) { return Item{user_properties(directory.users()[i], sign_in_activity), type}; };
                break;
            case Resource::groups:
                count = directory.groups().size();
                make_at = [&](size_t i) { return Item{group_properties(directory.groups()[i]), type}; };
                break;
            case Resource::members:
            case Resource::transitive_members: {
                const DirectoryGroup* group = directory.find_group(id_);
                if (group == nullptr) {
                    found = false;
                    break;
                }
                member_ids =
                    resource_ == Resource::members ? group->member_ids : directory.transitive_members(group->id);
                count = member_ids.size();
                make_at = [&](size_t i) { return member_item(directory, member_ids[i]); };
                break;
            }
            case Resource::roles:
                count = directory.roles().size();
                make_at = [&](size_t i) { return Item{role_properties(directory.roles()[i]), type}; };
                break;
            case Resource::role_members: {
                const std::string template_prefix = "roleTemplateId=";
                const bool by_template = id_.rfind(template_prefix, 0) == 0;
                const auto role = std::find_if(directory.roles().begin(), directory.roles().end(), [&](const auto& r) {
                    return by_template ? r.role_template_id == id_.substr(template_prefix.size()) : r.id == id_;
                });
                if (role == directory.roles().end()) {
                    found = false;
                    break;
                }
                member_ids = role->member_ids;
                count = member_ids.size();
                make_at = [&](size_t i) { return member_item(directory, member_ids[i]); };
                break;
            }
            case Resource::applications:
                count = directory.applications().size();
                make_at = [&](size_t i) { return Item{application_properties(directory.applications()[i]), type}; };
                break;
            case Resource::service_principals:
                count = directory.service_principals().size();
                make_at = [&](size_t i) {
                    return Item{service_principal_properties(directory.service_principals()[i]), type};
                };
                break;
            case Resource::registration_details:
                count = directory.users().size();
                make_at = [&](size_t i) {
                    const DirectoryUser& user = directory.users()[i];
                    return Item{registration_properties(user, is_role_member(directory, user.id)), nullptr};
                };
                break;
            case Resource::organization:
                count = 1;
                make_at = [&](size_t) { return Item{organization_properties(tenant.id, directory.domains), nullptr}; };
                break;
        }
        if (!found) return;
        if (whole || unpaged) {
            for (size_t i = 0; i < count; ++i) items.push_back(make_at(i));
        } else {
            total = count;
            const size_t last = std::min(total, start + static_cast<size_t>(top));
            for (size_t i = std::min(start, total); i < last; ++i) items.push_back(make_at(i));
        }
    });
    if (!found) {
        send_graph_error(response, 404, "Request_ResourceNotFound",
                         "Resource '" + id_ +
                             "' does not exist or one of its queried reference-property objects are "
                             "not present.");
        return;
    }
    size_t first = start;  // the listing position of items[0]
    if (whole || unpaged) {
        std::erase_if(items, [&](const Item& item) { return !matches(item.properties, *clauses); });
        if (sorted) {
            std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
                return property_value(a.properties, "userPrincipalName") <
                       property_value(b.properties, "userPrincipalName");
            });
        }
        total = items.size();
        first = 0;
    }

    const size_t end = unpaged ? total : std::min(total, start + static_cast<size_t>(top));
    std::string body = "{\"@odata.context\":\"https://graph.microsoft.com/" + version_ + "/$metadata#" +
                       collection_name(resource_) + "\",";
    if (end < total) {
        body += "\"@odata.nextLink\":\"" + next_link(emulator_, Poco::URI(uri).getPath(), *query, end) + "\",";
    }
    body += "\"value\":[";
    const bool mixed = resource_ == Resource::members || resource_ == Resource::transitive_members ||
                       resource_ == Resource::role_members;
    for (size_t i = start; i < end; ++i) {
        if (i > start) body += ',';
        const Item& item = items[i - first];
        if (item.type == nullptr) {  // rendered whole: reports and the organization
            std::set<std::string> all;
            for (const auto& [name, value] : item.properties) all.insert(name);
            static const ObjectType plain{"", {}, {}};
            render_object(body, item.properties, all, plain, false);
        } else {
            render_object(body, item.properties, mixed && selected.empty() ? item.type->default_set : selected,
                          *item.type, mixed);
        }
    }
    body += "]}";
    send_page(emulator_, request, response, body, cut_page);
}

}  // namespace vigil::emulator
