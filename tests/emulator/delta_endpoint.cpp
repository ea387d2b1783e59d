#include "delta_endpoint.hpp"

#include "crypto/base64url.hpp"
#include "directory_render.hpp"
#include "emulator.hpp"
#include "graph_common.hpp"

#include <Poco/NumberParser.h>
#include <Poco/URI.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

namespace vigil::emulator {

namespace {

constexpr size_t kMembersPerEntry = 50;  // a larger group is split across entries (and pages), as Graph does

// What a delta token or skip token carries: the query of the first request and where the round stands.
struct RoundState {
    int64_t since = -1;  // changes after this version; -1: a full round
    int64_t upto = 0;    // the version the round ends at (the next deltaLink's since)
    std::string after;   // the last entry key handed out
    int64_t issued_ms = 0;
    std::string select;
    std::string ids;  // from $filter=id eq '..' or ...: comma-separated; empty: all
};

std::string encode(const RoundState& state) {
    std::ostringstream out;
    out << state.since << '\n'
        << state.upto << '\n'
        << state.after << '\n'
        << state.issued_ms << '\n'
        << state.select << '\n'
        << state.ids;
    return crypto::base64url_encode(out.str());
}

std::optional<RoundState> decode(const std::string& token) {
    const auto text = crypto::base64url_decode(token);
    if (!text) return std::nullopt;
    std::vector<std::string> fields;
    std::stringstream lines(*text);
    std::string line;
    while (std::getline(lines, line, '\n')) fields.push_back(line);
    if (fields.size() < 5) return std::nullopt;
    RoundState state;
    Poco::Int64 since = 0;
    Poco::Int64 upto = 0;
    Poco::Int64 issued = 0;
    if (!Poco::NumberParser::tryParse64(fields[0], since) || !Poco::NumberParser::tryParse64(fields[1], upto) ||
        !Poco::NumberParser::tryParse64(fields[3], issued)) {
        return std::nullopt;
    }
    state.since = since;
    state.upto = upto;
    state.after = fields[2];
    state.issued_ms = issued;
    state.select = fields[4];
    state.ids = fields.size() > 5 ? fields[5] : "";
    return state;
}

// `id eq 'a' or id eq 'b'`: the only $filter delta takes on users and groups, at most 50 ids.
std::optional<std::string> read_id_filter(const std::string& filter, std::string& error) {
    static const std::regex clause(R"(^\s*id eq '([^']+)'\s*$)");
    std::string ids;
    size_t start = 0;
    int count = 0;
    while (start <= filter.size()) {
        auto end = filter.find(" or ", start);
        if (end == std::string::npos) end = filter.size();
        std::smatch match;
        const std::string part = filter.substr(start, end - start);
        if (!std::regex_match(part, match, clause)) {
            error = "Unsupported query: delta supports only $filter=id eq '...' [or id eq '...'].";
            return std::nullopt;
        }
        if (++count > 50) {
            error = "There is a limit of 50 filtered objects.";
            return std::nullopt;
        }
        ids += (ids.empty() ? "" : ",") + std::string(match[1]);
        start = end + 4;
    }
    return ids;
}

bool wanted(const RoundState& state, const std::string& id) {
    return state.ids.empty() || ("," + state.ids + ",").find("," + id + ",") != std::string::npos;
}

void append_member(std::string& out, const Directory& directory, const std::string& id, bool removed) {
    std::string type = directory.odata_type_of(id);
    if (type.empty()) type = "#microsoft.graph.user";  // a deleted member: its type is no longer known
    out += "{\"@odata.type\":\"" + type + "\",\"id\":\"" + id + "\"";
    if (removed) out += R"(,"@removed":{"reason":"deleted"})";
    out += '}';
}

// A group entry: its selected properties, and with members selected, one slice of members@delta.
std::string group_entry(const Directory& directory, const DirectoryGroup& group, const std::set<std::string>& selected,
                        const std::vector<std::pair<std::string, bool>>& members, size_t from, size_t to) {
    std::string out;
    render_object(out, group_properties(group), selected, group_type(), false);
    if (selected.count("members") == 0) return out;
    out.pop_back();
    out += ",\"members@delta\":[";
    for (size_t i = from; i < to; ++i) {
        if (i > from) out += ',';
        append_member(out, directory, members[i].first, members[i].second);
    }
    return out + "]}";
}

void add_group_entries(std::map<std::string, std::string>& entries, const Directory& directory,
                       const DirectoryGroup& group, const std::set<std::string>& selected,
                       const std::vector<std::pair<std::string, bool>>& members) {
    const size_t slices =
        selected.count("members") ? std::max<size_t>(1, (members.size() + kMembersPerEntry - 1) / kMembersPerEntry) : 1;
    for (size_t slice = 0; slice < slices; ++slice) {
        char key[24];
        std::snprintf(key, sizeof(key), ":%06zu", slice);
        entries[group.id + key] = group_entry(directory, group, selected, members, slice * kMembersPerEntry,
                                              std::min(members.size(), (slice + 1) * kMembersPerEntry));
    }
}

// Every entry of the round, by key (object id, then slice): keys order the pages, so a round that spans many
// requests neither skips nor repeats an entry however the directory changes meanwhile.
std::map<std::string, std::string> round_entries(const Directory& directory, DeltaQuery::Resource resource,
                                                 const RoundState& state, const std::set<std::string>& selected) {
    std::map<std::string, std::string> entries;
    const bool users = resource == DeltaQuery::Resource::users;
    const auto removed = [](const std::string& id) {
        return "{\"id\":\"" + id + R"(","@removed":{"reason":"deleted"}})";
    };
    if (state.since < 0) {
        if (users) {
            for (const auto& user : directory.users()) {
                if (!wanted(state, user.id)) continue;
                render_object(entries[user.id + ":000000"], user_properties(user, false), selected, user_type(), false);
            }
        } else {
            for (const auto& group : directory.groups()) {
                if (!wanted(state, group.id)) continue;
                std::vector<std::pair<std::string, bool>> members;
                for (const auto& id : group.member_ids) members.emplace_back(id, false);
                add_group_entries(entries, directory, group, selected, members);
            }
        }
        return entries;
    }
    // What changed in (since, upto]: objects (the last change wins) and, for groups, net membership changes.
    std::map<std::string, bool> objects;                             // id -> deleted
    std::map<std::string, std::map<std::string, bool>> memberships;  // group -> member -> removed
    for (const auto& change : directory.changes()) {
        if (change.version <= state.since || change.version > state.upto || !wanted(state, change.id)) continue;
        if (change.kind == (users ? "user" : "group")) objects[change.id] = change.removed;
        if (!users && change.kind == "membership" && selected.count("members")) {
            memberships[change.id][change.member_id] = change.removed;
        }
    }
    for (const auto& [id, changed] : memberships) objects.emplace(id, false);
    for (const auto& [id, deleted] : objects) {
        if (users) {
            const DirectoryUser* user = directory.find_user(id);
            if (deleted || user == nullptr) {
                entries[id + ":000000"] = removed(id);
            } else {
                render_object(entries[id + ":000000"], user_properties(*user, false), selected, user_type(), false);
            }
            continue;
        }
        const DirectoryGroup* group = directory.find_group(id);
        if (deleted || group == nullptr) {
            entries[id + ":000000"] = removed(id);
            continue;
        }
        std::vector<std::pair<std::string, bool>> members;
        if (const auto it = memberships.find(id); it != memberships.end()) {
            for (const auto& [member, gone] : it->second) members.emplace_back(member, gone);
        }
        add_group_entries(entries, directory, *group, selected, members);
    }
    return entries;
}

}  // namespace

void DeltaQuery::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const bool users = resource_ == Resource::users;
    const auto caller =
        authorize(emulator_, request, response,
                  users ? std::vector<const char*>{"User.Read.All", "Directory.Read.All"}
                        : std::vector<const char*>{"GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"});
    if (!caller) return;
    const Tenant& tenant = *caller->tenant;
    if (!within_limits(emulator_, *caller, Budget::directory, 1, response)) return;
    bool cut_page = false;
    if (play_faults(emulator_, tenant, request, response, cut_page)) return;

    const std::string path = Poco::URI(request.getURI()).getPath();
    std::string select;
    std::string filter;
    std::string delta_token;
    std::string skip_token;
    for (const auto& [name, value] : Poco::URI(request.getURI()).getQueryParameters()) {
        if (name == "$select")
            select = value;
        else if (name == "$filter")
            filter = value;
        else if (name == "$deltatoken" || name == "$deltaToken")
            delta_token = value;
        else if (name == "$skiptoken")
            skip_token = value;
        else if (name == "$top" || name == "$orderby" || name == "$expand" || name == "$skip" || name == "$search") {
            send_graph_error(response, 400, "Request_UnsupportedQuery",
                             "The query option '" + name + "' is not supported with delta.");
            return;
        }
    }
    RoundState state;
    const int64_t now = now_ms();
    const bool latest = delta_token == "latest";
    if (!delta_token.empty() && !latest) {
        const auto decoded = decode(delta_token);
        if (!decoded) {
            send_graph_error(response, 400, "badRequest", "Invalid delta token.");
            return;
        }
        if (decoded->issued_ms < emulator_.delta_valid_from_ms()) {
            send_graph_error(response, 400, "resyncRequired",
                             "The delta token is no longer valid, and the app must reset the sync state.");
            return;
        }
        if (now - decoded->issued_ms > tenant.delta_ttl_ms) {
            response.set("Location", emulator_.base_url() + path + "?$deltatoken=");
            send_graph_error(response, 410, "syncStateNotFound",
                             "The sync state generation is not found. The delta token is expired and data must be "
                             "synchronized again.");
            return;
        }
        state = *decoded;  // since: where the last round ended
        state.after.clear();
    } else if (!skip_token.empty()) {
        const auto decoded = decode(skip_token);
        if (!decoded || (tenant.link_ttl_ms > 0 && now - decoded->issued_ms > tenant.link_ttl_ms)) {
            send_graph_error(response, 400, "", "Invalid Skip Token");
            return;
        }
        state = *decoded;
    } else {
        std::string error;
        const auto ids = read_id_filter(filter, error);
        if (!filter.empty() && !ids) {
            send_graph_error(response, 400, "Request_UnsupportedQuery", error);
            return;
        }
        state.select = select;
        state.ids = filter.empty() ? "" : *ids;
    }
    std::string error;
    if (users && state.select.find("signInActivity") != std::string::npos) {
        send_graph_error(response, 400, "Request_UnsupportedQuery", "signInActivity is not supported with delta.");
        return;
    }
    const auto selected = read_select(state.select, users ? user_type() : group_type(), error);
    if (!selected) {
        send_graph_error(response, 400, "Request_BadRequest", error);
        return;
    }

    size_t page_size = 100;
    static const std::regex max_page_size(R"(odata\.maxpagesize=(\d+))");
    std::smatch match;
    const std::string prefer = request.get("Prefer", "");
    if (std::regex_search(prefer, match, max_page_size)) page_size = std::max<size_t>(1, std::stoul(match[1]));

    Directory& directory = emulator_.directory(tenant.id);
    std::vector<std::string> page;
    bool more = false;
    directory.read([&](const Directory& d) {
        if (latest) {
            state.upto = d.current_version();
            return;
        }
        if (skip_token.empty())
            state.upto = d.current_version();  // a round ends where the directory stands as it starts
        // A round's entries are fixed at its first page (its `upto`), so its later pages come from the same render.
        const std::string round_key = tenant.id + (users ? "|users|" : "|groups|") + std::to_string(state.since) + "|" +
                                      std::to_string(state.upto) + "|" + state.select + "|" + state.ids;
        const auto cached =
            emulator_.delta_round(round_key, [&] { return round_entries(d, resource_, state, *selected); });
        const auto& entries = *cached;
        for (auto it = entries.upper_bound(state.after); it != entries.end(); ++it) {
            if (page.size() == page_size) {
                more = true;
                break;
            }
            page.push_back(it->second);
            state.after = it->first;
        }
    });
    std::string body = "{\"@odata.context\":\"https://graph.microsoft.com/" + version_ + "/$metadata#" +
                       (users ? "users" : "groups") + "\",";
    state.issued_ms = now;
    if (more) {
        body += "\"@odata.nextLink\":\"" + emulator_.base_url() + path + "?$skiptoken=" + encode(state) + "\",";
    } else {
        RoundState next = state;
        next.since = state.upto;
        next.after.clear();
        body += "\"@odata.deltaLink\":\"" + emulator_.base_url() + path + "?$deltatoken=" + encode(next) + "\",";
    }
    body += "\"value\":[";
    for (size_t i = 0; i < page.size(); ++i) {
        if (i > 0) body += ',';
        body += page[i];
    }
    body += "]}";
    send_page(emulator_, request, response, body, cut_page);
}

}  // namespace vigil::emulator
