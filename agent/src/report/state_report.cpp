#include "report/state_report.hpp"

#include "report/text_table.hpp"
#include "store/state_store.hpp"
#include "util/json_text.hpp"
#include "util/rfc3339.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <vector>

namespace vigil {

namespace {

std::string time_text(int64_t ms) {
    std::string out;
    append_rfc3339_ms(out, ms);
    return out;
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

// The stores to report on, each positioned at its snapshot for `at`; sources without one are skipped.
struct Source {
    std::unique_ptr<StateStore> store;
    int64_t snapshot_ms = 0;
    std::optional<int64_t> previous_ms;  // the snapshot before it
};

std::vector<Source> sources_at(const StateReportOptions& options) {
    std::vector<Source> sources;
    for (const std::string& path : StateStore::all_paths(options.data_dir)) {
        auto store = std::make_unique<StateStore>(path, StateSource{}, true);
        if (!options.organization.empty() && store->source().organization != options.organization) continue;
        const auto snapshot = store->snapshot_at(options.at_ms);
        if (!snapshot) continue;
        Source source{std::move(store), *snapshot, std::nullopt};
        for (const int64_t taken : source.store->snapshots()) {
            if (taken < *snapshot) source.previous_ms = taken;
        }
        sources.push_back(std::move(source));
    }
    return sources;
}

std::string heading(const Source& source) {
    const StateSource& s = source.store->source();
    const std::string where = source.store->where_of(source.snapshot_ms);
    return s.organization + (s.source_group.empty() ? "" : " / " + s.source_group) + " / " + s.tenant_id +
           (where.empty() ? "" : " (" + where + ")") + ", snapshot " + time_text(source.snapshot_ms);
}

std::string source_json(const Source& source) {
    const StateSource& s = source.store->source();
    return "\"organization\":" + json_string(s.organization) + ",\"source_group\":" + json_string(s.source_group) +
           ",\"tenant_id\":" + json_string(s.tenant_id) +
           ",\"where\":" + json_string(source.store->where_of(source.snapshot_ms)) +
           ",\"snapshot\":" + json_string(time_text(source.snapshot_ms));
}

// "accountEnabled=false, userType=Member": an object's state for one table cell, nulls left out.
std::string summary(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::dom::object object;
    if (parser.parse(json.data(), json.size(), true).get(object) != simdjson::SUCCESS) return std::string(json);
    std::string out;
    for (const auto field : object) {
        if (field.value.is_null()) continue;
        std::string value;
        std::string_view text;
        value = field.value.get_string().get(text) == simdjson::SUCCESS ? std::string(text)
                                                                        : simdjson::to_string(field.value);
        if (!out.empty()) out += ", ";
        out += std::string(field.key) + "=" + value;
    }
    return out;
}

// One JSON value for a table cell: a string as its text, null as nothing, anything else as compact JSON.
std::string cell_value(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::dom::element value;
    if (parser.parse(json.data(), json.size(), true).get(value) != simdjson::SUCCESS) return std::string(json);
    if (value.is_null()) return {};
    std::string_view text;
    return value.get_string().get(text) == simdjson::SUCCESS ? std::string(text) : simdjson::to_string(value);
}

std::string_view text_of(simdjson::dom::element element, std::string_view key) {
    std::string_view value;
    return element[key].get_string().get(value) == simdjson::SUCCESS ? value : std::string_view{};
}

int64_t int_of(simdjson::dom::element element, std::string_view key) {
    int64_t value = 0;
    return element[key].get_int64().get(value) == simdjson::SUCCESS ? value : 0;
}

const char* action_name(StateChange::Action action) {
    switch (action) {
        case StateChange::Action::added:
            return "Added";
        case StateChange::Action::removed:
            return "Removed";
        default:
            return "Modified";
    }
}

void nothing_found(const StateReportOptions& options, std::ostream& out, const char* what) {
    const std::string message =
        std::string("No ") + what + " at or before " + time_text(options.at_ms) +
        (options.organization.empty() ? "" : " for organization '" + options.organization + "'") +
        ": enable the entra_state connector and run `vigil run --once`.";
    if (options.format == "json") {
        out << "{\"report\":" << (std::string(what) == "risks" ? "\"risks\"" : "\"state\"")
            << ",\"sources\":[],\"message\":" << json_string(message) << "}\n";
    } else {
        out << message << "\n";
    }
}

}  // namespace

void report_state(const StateReportOptions& options, std::ostream& out) {
    const auto sources = sources_at(options);
    if (sources.empty()) return nothing_found(options, out, "directory snapshot");
    const bool json = options.format == "json";
    if (json) out << "{\"report\":\"state\",\"at\":" << json_string(time_text(options.at_ms)) << ",\"sources\":[";
    bool first_source = true;
    for (const Source& source : sources) {
        std::vector<StateChange> changes;
        std::vector<int64_t> change_times;
        if (options.since_ms) {
            for (const int64_t taken : source.store->snapshots()) {
                if (taken <= *options.since_ms || taken > source.snapshot_ms) continue;
                source.store->changes(taken, [&](const StateChange& change) {
                    changes.push_back(change);
                    change_times.push_back(taken);
                });
            }
        }
        if (json) {
            out << (first_source ? "" : ",") << "{" << source_json(source) << ",\"objects\":[";
            bool first = true;
            source.store->read_at(source.snapshot_ms, "", [&](const StateObjectView& object) {
                if (object.kind == "risk") return true;  // the risks report has them
                out << (first ? "" : ",") << "{\"kind\":" << json_string(object.kind)
                    << ",\"id\":" << json_string(object.id) << ",\"object_type\":" << json_string(object.object_type)
                    << ",\"name\":" << json_string(object.name) << ",\"state\":" << object.json << "}";
                first = false;
                return true;
            });
            out << "]";
            if (options.since_ms) {
                out << ",\"changes\":[";
                for (size_t i = 0; i < changes.size(); ++i) {
                    const StateChange& c = changes[i];
                    out << (i ? "," : "") << "{\"snapshot\":" << json_string(time_text(change_times[i]))
                        << ",\"action\":" << json_string(action_name(c.action)) << ",\"kind\":" << json_string(c.kind)
                        << ",\"object_type\":" << json_string(c.object_type) << ",\"what\":" << json_string(c.name)
                        << ",\"property\":" << (c.property.empty() ? "null" : json_string(c.property))
                        << ",\"old\":" << (c.old_json.empty() ? "null" : c.old_json)
                        << ",\"new\":" << (c.new_json.empty() ? "null" : c.new_json) << "}";
                }
                out << "]";
            }
            out << "}";
            first_source = false;
            continue;
        }
        out << heading(source) << "\n\n";
        TextTable table({"KIND", "NAME", "STATE"});
        source.store->read_at(source.snapshot_ms, "", [&](const StateObjectView& object) {
            if (object.kind != "risk")
                table.add({std::string(object.kind), std::string(object.name), summary(object.json)});
            return true;
        });
        out << (table.empty() ? "(no objects)\n" : table.render(options.width)) << "\n";
        if (options.since_ms) {
            out << "Changes after " << time_text(*options.since_ms) << ":\n\n";
            TextTable changed({"SNAPSHOT", "ACTION", "TYPE", "WHAT", "PROPERTY", "OLD", "NEW"});
            for (size_t i = 0; i < changes.size(); ++i) {
                const StateChange& c = changes[i];
                changed.add({time_text(change_times[i]), action_name(c.action), c.object_type, c.name, c.property,
                             c.action == StateChange::Action::added ? "" : cell_value(c.old_json),
                             c.action == StateChange::Action::removed ? "" : cell_value(c.new_json)});
            }
            out << (changed.empty() ? "(no changes)\n" : changed.render(options.width)) << "\n";
        }
    }
    if (json) out << "]}\n";
}

void report_risks(const StateReportOptions& options, std::ostream& out) {
    const auto sources = sources_at(options);
    if (sources.empty()) return nothing_found(options, out, "risks");
    const bool json = options.format == "json";
    if (json) out << "{\"report\":\"risks\",\"at\":" << json_string(time_text(options.at_ms)) << ",\"sources\":[";
    bool first_source = true;
    for (const Source& source : sources) {
        // The value each metric had at the snapshot before, for its trend.
        std::map<std::string, std::string> previous;
        if (source.previous_ms) {
            source.store->read_at(*source.previous_ms, "risk", [&](const StateObjectView& object) {
                previous[std::string(object.id)] = std::string(object.json);
                return true;
            });
        }
        if (json) out << (first_source ? "" : ",") << "{" << source_json(source) << ",\"risks\":[";
        std::vector<std::pair<int, std::vector<std::string>>> rows;  // by level: high first
        bool first = true;
        source.store->read_at(source.snapshot_ms, "risk", [&](const StateObjectView& object) {
            simdjson::dom::parser parser;
            simdjson::dom::element risk;
            if (parser.parse(object.json.data(), object.json.size(), true).get(risk) != simdjson::SUCCESS) return true;
            double value = 0;
            const bool known = risk["value"].get_double().get(value) == simdjson::SUCCESS;
            std::string trend = "new";
            std::string previous_value = "null";
            if (const auto it = previous.find(std::string(object.id)); it != previous.end()) {
                simdjson::dom::parser old_parser;
                simdjson::dom::element old_risk;
                double old_value = 0;
                if (old_parser.parse(it->second).get(old_risk) == simdjson::SUCCESS &&
                    old_risk["value"].get_double().get(old_value) == simdjson::SUCCESS && known) {
                    trend = value > old_value ? "up" : value < old_value ? "down" : "same";
                    previous_value = simdjson::to_string(old_risk["value"].value_unsafe());
                } else {
                    trend = "n/a";
                }
            }
            const std::string_view level = text_of(risk, "level");
            const bool percent = text_of(risk, "unit") == "percent";
            if (json) {
                out << (first ? "" : ",") << "{\"id\":" << json_string(object.id) << ",\"trend\":" << json_string(trend)
                    << ",\"previous_value\":" << previous_value << "," << object.json.substr(1);
                first = false;
                return true;
            }
            std::string value_text = "unknown";
            if (known) {
                char buffer[64];
                const int64_t count = int_of(risk, "count");
                const int64_t of = int_of(risk, "of");
                if (percent) {
                    std::snprintf(buffer, sizeof(buffer), "%.2f%% (%lld of %lld)", value, static_cast<long long>(count),
                                  static_cast<long long>(of));
                } else {
                    std::snprintf(buffer, sizeof(buffer), "%.0f", value);
                }
                value_text = buffer;
            }
            std::string objects;
            simdjson::dom::array list;
            if (risk["objects"].get_array().get(list) == simdjson::SUCCESS) {
                for (simdjson::dom::element item : list) {
                    std::string_view name;
                    if (item.get_string().get(name) != simdjson::SUCCESS) continue;
                    if (!objects.empty()) objects += ", ";
                    objects += name;
                }
            } else {
                objects = std::string(text_of(risk, "reason"));
            }
            const std::string_view title = text_of(risk, "title");
            const int rank = level == "high" ? 0 : level == "medium" ? 1 : level == "low" ? 2 : 3;
            rows.push_back(
                {rank,
                 {std::string(level), std::string(title.empty() ? object.name : title), value_text, trend, objects}});
            return true;
        });
        std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        TextTable table({"LEVEL", "METRIC", "VALUE", "TREND", "OBJECTS"});
        for (auto& [rank, row] : rows) table.add(std::move(row));
        if (json) {
            out << "]}";
        } else {
            out << heading(source) << "\n\n"
                << (table.empty() ? "(no risks computed)\n" : table.render(options.width)) << "\n";
        }
        first_source = false;
    }
    if (json) out << "]}\n";
}

}  // namespace vigil
