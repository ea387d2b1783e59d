#include "store/event_database.hpp"

#include <array>
#include <stdexcept>

namespace vigil {

std::string_view tally_column(std::string_view field) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kColumns{{
        {"organization", "organization"},
        {"source_group", "source_group"},
        {"tenant_id", "tenant_id"},
        {"action", "action"},
        {"object_type", "object_type"},
        {"what", "what"},
        {"who", "who"},
        {"where", "where_name"},
        {"workstation", "workstation"},
        {"status", "status"},
        {"connector", "connector"},
    }};
    for (const auto& [name, column] : kColumns) {
        if (name == field) return column;
    }
    throw std::invalid_argument("no event field '" + std::string(field) + "' to count by");
}

std::vector<std::pair<std::string_view, std::string_view>> query_narrowing(const EventQuery& query) {
    const std::pair<std::string_view, const std::string*> fields[] = {
        {"organization", &query.organization},
        {"source_group", &query.source_group},
        {"tenant_id", &query.tenant_id},
        {"who", &query.who},
        {"action", &query.action},
        {"object_type", &query.object_type},
        {"status", &query.status},
    };
    std::vector<std::pair<std::string_view, std::string_view>> narrowing;
    for (const auto& [column, value] : fields) {
        if (!value->empty()) narrowing.emplace_back(column, *value);
    }
    return narrowing;
}

}  // namespace vigil
