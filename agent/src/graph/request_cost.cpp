#include "graph/request_cost.hpp"

#include <algorithm>
#include <regex>

namespace vigil::graph {

namespace {

bool contains(const std::string& text, const char* part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

RequestCost request_cost(const std::string& url) {
    const auto query_at = url.find('?');
    const std::string path = url.substr(0, query_at);
    const std::string query = query_at == std::string::npos ? "" : url.substr(query_at);
    if (contains(query, "signInActivity")) return {RequestCost::Budget::sign_in_activity, 1};
    if (contains(path, "/auditLogs/") || contains(path, "/reports/")) return {RequestCost::Budget::reports, 1};
    static const std::regex collection(R"(/(v1\.0|beta)/(users|applications)(/delta)?$)");
    int units = 1;
    if (contains(path, "/transitiveMembers")) {
        units = 5;
    } else if (contains(path, "/members")) {
        units = 3;
    } else if (std::regex_search(path, collection)) {
        units = 2;
    }
    if (contains(query, "$select=")) --units;
    if (contains(query, "$expand=")) ++units;
    static const std::regex small_top(R"([?&]\$top=(\d{1,6}))");
    std::smatch match;
    if (std::regex_search(query, match, small_top) && std::stoi(match[1]) < 20) --units;
    return {RequestCost::Budget::directory, std::max(units, 1)};
}

}  // namespace vigil::graph
