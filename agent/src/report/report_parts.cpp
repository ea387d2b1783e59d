#include "report/report_parts.hpp"

#include "util/rfc3339.hpp"

#include <simdjson.h>

#include <algorithm>

namespace vigil::report_parts {

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr int64_t kMondayOffsetMs = 4 * kDayMs;  // 1970-01-01 was a Thursday; weeks start on Monday

std::string value_text(simdjson::dom::element value) {
    std::string_view text;
    if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
    return simdjson::minify(value);
}

void flatten(std::string& out, const std::string& prefix, simdjson::dom::object object) {
    for (const auto field : object) {
        const std::string name = prefix + std::string(field.key);
        simdjson::dom::object nested;
        if (field.value.get_object().get(nested) == simdjson::SUCCESS) {
            flatten(out, name + ".", nested);
            continue;
        }
        if (field.value.is_null()) continue;
        if (!out.empty()) out += ", ";
        out += name + "=" + value_text(field.value);
    }
}

}  // namespace

std::string details_text(std::string_view json) {
    if (json.empty() || json == "null") return {};
    thread_local simdjson::dom::parser parser;  // one per thread: a report renders many rows
    simdjson::dom::element root;
    if (parser.parse(json.data(), json.size(), true).get(root) != simdjson::SUCCESS) return std::string(json);
    std::string out;
    simdjson::dom::object object;
    if (root.get_object().get(object) == simdjson::SUCCESS) {
        flatten(out, "", object);
        return out;
    }
    simdjson::dom::array list;
    if (root.get_array().get(list) != simdjson::SUCCESS) return value_text(root);
    for (simdjson::dom::element item : list) {
        if (!out.empty()) out += "; ";
        simdjson::dom::object change;
        std::string_view name;
        if (item.get_object().get(change) != simdjson::SUCCESS || change["name"].get_string().get(name)) {
            out += value_text(item);
            continue;
        }
        out += std::string(name) + ": ";
        simdjson::dom::element old_value;
        simdjson::dom::element new_value;
        const bool has_old = change["old"].get(old_value) == simdjson::SUCCESS && !old_value.is_null();
        const bool has_new = change["new"].get(new_value) == simdjson::SUCCESS && !new_value.is_null();
        if (!has_old && change["value"].get(new_value) == simdjson::SUCCESS && !new_value.is_null()) {
            out += value_text(new_value);
            continue;
        }
        if (has_old) out += value_text(old_value) + " -> ";
        out += has_new ? value_text(new_value) : std::string(has_old ? "(none)" : "");
    }
    return out;
}

std::string rfc3339(int64_t ms) {
    std::string out;
    append_rfc3339_ms(out, ms);
    return out;
}

std::string when_text(int64_t ms) {
    std::string text = rfc3339(ms);  // 2026-11-27T21:21:17.123Z
    if (text.size() >= 19) {
        text[10] = ' ';
        text.resize(19);
    }
    return text;
}

ReportCell time_cell(int64_t ms) {
    ReportCell cell{when_text(ms), {}, {}};
    cell.json = '"' + rfc3339(ms) + '"';
    return cell;
}

ReportCell count_cell(size_t value) {
    const std::string text = std::to_string(value);
    return ReportCell{text, text, {}};
}

std::vector<std::pair<std::string, std::string>> event_scope(const EventQuery& query) {
    std::vector<std::pair<std::string, std::string>> scope;
    if (query.since_ms != INT64_MIN) scope.emplace_back("since", rfc3339(query.since_ms));
    if (query.until_ms != INT64_MAX) scope.emplace_back("until", rfc3339(query.until_ms));
    const std::pair<const char*, const std::string*> narrowing[] = {{"organization", &query.organization},
                                                                    {"source_group", &query.source_group},
                                                                    {"tenant_id", &query.tenant_id},
                                                                    {"who", &query.who},
                                                                    {"action", &query.action},
                                                                    {"object_type", &query.object_type},
                                                                    {"status", &query.status}};
    for (const auto& [name, value] : narrowing) {
        if (!value->empty()) scope.emplace_back(name, *value);
    }
    return scope;
}

void Tally::add(std::string_view value, size_t count) {
    const auto it = counts_.find(value);
    if (it != counts_.end()) {
        it->second += count;
    } else {
        counts_.emplace(std::string(value), count);
    }
}

std::vector<std::pair<std::string, size_t>> Tally::ranked(size_t limit) const {
    std::vector<std::pair<std::string, size_t>> ranked(counts_.begin(), counts_.end());
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (ranked.size() > limit) ranked.resize(limit);
    return ranked;
}

ReportChart ranking_chart(std::string key, std::string title, std::string unit, const Tally& tally, size_t limit,
                          const std::string& level) {
    ReportChart chart{std::move(key), std::move(title), ReportChart::Kind::ranking, std::move(unit), {}};
    for (auto& [value, count] : tally.ranked(limit)) {
        chart.bars.push_back({value.empty() ? "(none)" : value, static_cast<double>(count), level});
    }
    return chart;
}

Timeline::Timeline(int64_t since_ms, int64_t until_ms) {
    const int64_t span_ms = std::max<int64_t>(until_ms - since_ms, 1);
    bucket_ms_ = span_ms <= 2 * kDayMs ? kHourMs : span_ms <= 62 * kDayMs ? kDayMs : 7 * kDayMs;
    const int64_t offset_ms = bucket_ms_ == 7 * kDayMs ? kMondayOffsetMs : 0;
    const auto floor_to = [&](int64_t ms) {
        const int64_t shifted = ms - offset_ms;
        return shifted - ((shifted % bucket_ms_) + bucket_ms_) % bucket_ms_ + offset_ms;
    };
    start_ms_ = floor_to(since_ms);
    counts_.assign(static_cast<size_t>((floor_to(until_ms - 1) - start_ms_) / bucket_ms_ + 1), 0);
}

void Timeline::add(int64_t time_ms) {
    if (time_ms < start_ms_) return;
    const auto bucket = static_cast<size_t>((time_ms - start_ms_) / bucket_ms_);
    if (bucket < counts_.size()) ++counts_[bucket];
}

ReportChart Timeline::chart(std::string key, std::string title, std::string unit, const std::string& level) const {
    ReportChart chart{std::move(key), std::move(title), ReportChart::Kind::timeline, std::move(unit), {}};
    for (size_t i = 0; i < counts_.size(); ++i) {
        const int64_t start = start_ms_ + static_cast<int64_t>(i) * bucket_ms_;
        std::string label = when_text(start);  // 2026-11-27 21:00:00
        label.resize(bucket_ms_ == kHourMs ? 16 : 10);
        chart.bars.push_back({std::move(label), static_cast<double>(counts_[i]), level});
    }
    return chart;
}

}  // namespace vigil::report_parts
