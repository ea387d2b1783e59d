#include "support/prometheus_text.hpp"

#include <cmath>
#include <cstdlib>
#include <regex>
#include <set>
#include <sstream>

namespace vigil::test {

namespace {

const std::regex kMetricName("[a-zA-Z_:][a-zA-Z0-9_:]*");
const std::regex kLabelName("[a-zA-Z_][a-zA-Z0-9_]*");

bool parse_value(const std::string& text, double& value) {
    if (text == "NaN" || text == "+Inf" || text == "-Inf") {
        value = text == "NaN" ? NAN : text == "+Inf" ? INFINITY : -INFINITY;
        return true;
    }
    char* end = nullptr;
    value = std::strtod(text.c_str(), &end);
    return !text.empty() && end == text.c_str() + text.size();
}

// The family a sample belongs to: histogram and summary samples carry suffixes.
std::string family_of(const std::string& name, const std::map<std::string, std::string>& types) {
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string s(suffix);
        if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0) {
            const std::string base = name.substr(0, name.size() - s.size());
            const auto it = types.find(base);
            if (it != types.end() && (it->second == "histogram" || it->second == "summary")) return base;
        }
    }
    return name;
}

}  // namespace

const PrometheusSample* PrometheusText::find(const std::string& name,
                                             const std::map<std::string, std::string>& labels) const {
    const PrometheusSample* found = nullptr;
    for (const auto& sample : samples) {
        if (sample.name != name) continue;
        bool match = true;
        for (const auto& [key, value] : labels) {
            const auto it = sample.labels.find(key);
            match = match && it != sample.labels.end() && it->second == value;
        }
        if (!match) continue;
        if (found != nullptr) return nullptr;
        found = &sample;
    }
    return found;
}

PrometheusText parse_prometheus_text(const std::string& text) {
    PrometheusText result;
    const auto error = [&](size_t line, const std::string& what) {
        result.errors.push_back("line " + std::to_string(line) + ": " + what);
    };
    if (text.empty() || text.back() != '\n') error(0, "the text does not end with a line feed");
    std::set<std::string> finished_families;  // families whose lines ended: they may not come back
    std::string current_family;
    std::set<std::string> series;
    std::istringstream lines(text);
    size_t number = 0;
    const auto enter_family = [&](const std::string& family) {
        if (family == current_family) return;
        if (finished_families.count(family) != 0) error(number, "the lines of " + family + " are not together");
        if (!current_family.empty()) finished_families.insert(current_family);
        current_family = family;
    };
    for (std::string line; std::getline(lines, line);) {
        ++number;
        if (line.empty()) continue;
        if (line[0] == '#') {
            std::istringstream words(line.substr(1));
            std::string keyword, name;
            words >> keyword >> name;
            if (keyword != "HELP" && keyword != "TYPE") continue;  // a plain comment
            if (!std::regex_match(name, kMetricName)) {
                error(number, "bad metric name '" + name + "'");
                continue;
            }
            enter_family(name);
            std::string rest;
            std::getline(words, rest);
            if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
            if (keyword == "HELP") {
                if (!result.help.emplace(name, rest).second) error(number, "a second HELP for " + name);
            } else {
                static const std::set<std::string> kTypes{"counter", "gauge", "histogram", "summary", "untyped"};
                if (kTypes.count(rest) == 0) error(number, "unknown TYPE '" + rest + "'");
                if (result.types.count(name) != 0) error(number, "a second TYPE for " + name);
                for (const auto& sample : result.samples) {
                    if (family_of(sample.name, result.types) == name) error(number, "TYPE after samples of " + name);
                }
                result.types[name] = rest;
                if (rest == "counter" && (name.size() < 6 || name.compare(name.size() - 6, 6, "_total") != 0)) {
                    error(number, "the counter " + name + " does not end in _total");
                }
            }
            continue;
        }
        PrometheusSample sample;
        size_t at = 0;
        while (at < line.size() && line[at] != '{' && line[at] != ' ') ++at;
        sample.name = line.substr(0, at);
        if (!std::regex_match(sample.name, kMetricName)) {
            error(number, "bad metric name '" + sample.name + "'");
            continue;
        }
        std::string canonical = sample.name + "{";
        if (at < line.size() && line[at] == '{') {
            ++at;
            while (at < line.size() && line[at] != '}') {
                const size_t equals = line.find('=', at);
                if (equals == std::string::npos) break;
                const std::string label = line.substr(at, equals - at);
                if (!std::regex_match(label, kLabelName)) error(number, "bad label name '" + label + "'");
                at = equals + 1;
                if (at >= line.size() || line[at] != '"') {
                    error(number, "label " + label + " has no quoted value");
                    break;
                }
                std::string value;
                for (++at; at < line.size() && line[at] != '"'; ++at) {
                    if (line[at] != '\\') {
                        value += line[at];
                        continue;
                    }
                    const char escaped = ++at < line.size() ? line[at] : '\0';
                    if (escaped == '\\' || escaped == '"') {
                        value += escaped;
                    } else if (escaped == 'n') {
                        value += '\n';
                    } else {
                        error(number, std::string("bad escape \\") + escaped + " in label " + label);
                    }
                }
                if (at >= line.size()) {
                    error(number, "label " + label + "'s value is not closed");
                    break;
                }
                ++at;  // the closing quote
                if (!sample.labels.emplace(label, value).second) error(number, "label " + label + " twice");
                if (at < line.size() && line[at] == ',') ++at;
            }
            if (at >= line.size() || line[at] != '}') {
                error(number, "labels not closed");
                continue;
            }
            ++at;
        }
        for (const auto& [label, value] : sample.labels) canonical += label + "=" + value + ",";
        if (at >= line.size() || line[at] != ' ') {
            error(number, "no space before the value");
            continue;
        }
        std::istringstream rest(line.substr(at + 1));
        std::string value_text, timestamp, extra;
        rest >> value_text >> timestamp >> extra;
        if (!parse_value(value_text, sample.value)) error(number, "bad value '" + value_text + "'");
        if (!extra.empty()) error(number, "text after the timestamp");
        const std::string family = family_of(sample.name, result.types);
        if (result.types.count(family) == 0) error(number, "a sample of " + family + " before its TYPE");
        enter_family(family);
        if (!series.insert(canonical).second) error(number, "the series " + canonical + "} twice");
        result.samples.push_back(std::move(sample));
    }
    return result;
}

}  // namespace vigil::test
