#include "report/svg_chart.hpp"

#include "report/html_text.hpp"
#include "report/text_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace vigil {

namespace {

constexpr int kWidth = 760;

// 1, 2, 5, 10, 20, 50...: the smallest such number at or above value, so the axis reads in round figures.
double nice_ceiling(double value) {
    if (value <= 1) return 1;
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (const double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= value) return step * magnitude;
    }
    return 10 * magnitude;
}

std::string number_text(double value) {
    char buffer[32];
    if (std::floor(value) == value) {
        std::snprintf(buffer, sizeof(buffer), "%.0f", value);
    } else {
        std::snprintf(buffer, sizeof(buffer), "%.2f", value);
    }
    return buffer;
}

std::string format(const char* pattern, double a, double b, double c, double d) {
    char buffer[160];
    std::snprintf(buffer, sizeof(buffer), pattern, a, b, c, d);
    return buffer;
}

void bar_title(std::string& out, const ReportChart& chart, const ReportChart::Bar& bar) {
    out += "<title>";
    append_html(out, bar.label + ": " + number_text(bar.value) + " " + chart.unit);
    out += "</title>";
}

void label(std::string& out, double x, double y, const char* anchor, const std::string& text) {
    out += format("<text x=\"%.1f\" y=\"%.1f\"", x, y, 0, 0);
    out += std::string(" text-anchor=\"") + anchor + "\">";
    append_html(out, text);
    out += "</text>";
}

std::string timeline(const ReportChart& chart) {
    constexpr double left = 56, top = 12, bottom = 36, height = 220;
    const double plot_width = kWidth - left - 12;
    const double plot_height = height - top - bottom;
    double most = 0;
    for (const auto& bar : chart.bars) most = std::max(most, bar.value);
    const double scale = nice_ceiling(most);
    std::string out = format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%.0f\" height=\"%.0f\" "
        "viewBox=\"0 0 %.0f %.0f\" role=\"img\">",
        kWidth, height, kWidth, height);
    for (const double fraction : {0.0, 0.5, 1.0}) {
        const double y = top + plot_height * (1 - fraction);
        out +=
            format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left, y, kWidth - 12.0, y);
        label(out, left - 6, y + 4, "end", number_text(scale * fraction));
    }
    const double step = chart.bars.empty() ? 0 : plot_width / static_cast<double>(chart.bars.size());
    for (size_t i = 0; i < chart.bars.size(); ++i) {
        const auto& bar = chart.bars[i];
        const double h = plot_height * bar.value / scale;
        const double x = left + step * static_cast<double>(i);
        out += format("<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", x + step * 0.1,
                      top + plot_height - h, std::max(step * 0.8, 1.0), h);
        out += std::string(" fill=\"") + level_colour(bar.level) + "\">";
        bar_title(out, chart, bar);
        out += "</rect>";
    }
    if (!chart.bars.empty()) {
        const double y = top + plot_height + 18;
        label(out, left + step / 2, y, "start", chart.bars.front().label);
        if (chart.bars.size() > 2) {
            const size_t middle = chart.bars.size() / 2;
            label(out, left + step * static_cast<double>(middle) + step / 2, y, "middle", chart.bars[middle].label);
        }
        if (chart.bars.size() > 1) label(out, left + plot_width - step / 2, y, "end", chart.bars.back().label);
    }
    out += "</svg>";
    return out;
}

std::string ranking(const ReportChart& chart) {
    constexpr double row = 22, label_width = 250, value_width = 70, top = 4;
    const double bar_area = kWidth - label_width - value_width;
    const double height = top * 2 + row * static_cast<double>(chart.bars.size());
    double most = 0;
    for (const auto& bar : chart.bars) most = std::max(most, bar.value);
    std::string out = format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"%.0f\" height=\"%.0f\" "
        "viewBox=\"0 0 %.0f %.0f\" role=\"img\">",
        kWidth, height, kWidth, height);
    for (size_t i = 0; i < chart.bars.size(); ++i) {
        const auto& bar = chart.bars[i];
        const double y = top + row * static_cast<double>(i);
        label(out, label_width - 8, y + 15, "end", fit(bar.label, 34));
        const double w = most > 0 ? std::max(bar_area * bar.value / most, 1.0) : 1.0;
        out += format("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\"", label_width, y + 3, w, row - 6);
        out += std::string(" fill=\"") + level_colour(bar.level) + "\">";
        bar_title(out, chart, bar);
        out += "</rect>";
        label(out, label_width + w + 6, y + 15, "start", number_text(bar.value));
    }
    out += "</svg>";
    return out;
}

}  // namespace

const char* level_colour(std::string_view level) {
    if (level == "high" || level == "failure") return "#c62828";
    if (level == "medium") return "#ef6c00";
    if (level == "low") return "#f9a825";
    if (level == "success") return "#2e7d32";
    return "#1565c0";
}

std::string svg_chart(const ReportChart& chart) {
    return chart.kind == ReportChart::Kind::timeline ? timeline(chart) : ranking(chart);
}

}  // namespace vigil
