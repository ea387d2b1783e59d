#pragma once

#include <map>
#include <string>
#include <vector>

// A checker of the Prometheus text exposition format (0.0.4), strict where the format is: metric and label names,
// label value escapes (\\ \" \n only), sample values, HELP and TYPE at most once per family and TYPE before its
// samples, a family's lines together, no series twice, a final line feed. Counters must end in _total (OpenMetrics'
// rule, which Prometheus scrapers expect of new exporters).
namespace vigil::test {

struct PrometheusSample {
    std::string name;
    std::map<std::string, std::string> labels;  // decoded values
    double value = 0;
};

struct PrometheusText {
    std::map<std::string, std::string> types;  // family -> counter | gauge | ...
    std::map<std::string, std::string> help;
    std::vector<PrometheusSample> samples;
    std::vector<std::string> errors;  // "line N: what is wrong"; empty when the text is valid

    // The one sample of name whose labels include every given one; nullptr when none or several.
    const PrometheusSample* find(const std::string& name, const std::map<std::string, std::string>& labels = {}) const;
};

PrometheusText parse_prometheus_text(const std::string& text);

}  // namespace vigil::test
