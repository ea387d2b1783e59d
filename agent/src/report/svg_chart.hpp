#pragma once

#include "report/report_model.hpp"

#include <string>

namespace vigil {

// A chart as inline SVG for the html report: a timeline as columns oldest to newest with the first, middle and last
// labels under them; a ranking as labelled horizontal bars. Every bar has a <title> (its label and value) a browser
// shows on hover; colours follow the bar's level. Self-contained: no fonts, scripts or links.
std::string svg_chart(const ReportChart& chart);

// The colour of a level (high, medium, low, failure, success; anything else: the default blue).
const char* level_colour(std::string_view level);

}  // namespace vigil
