#include "listing.hpp"

#include <algorithm>
#include <cstdio>

namespace vigil::connectors {

namespace {

constexpr int64_t kReportEveryMs = 5'000;

}  // namespace

CrawlProgress::CrawlProgress(sdk::Host host, std::string what, int64_t expected)
    : host_(host),
      what_(std::move(what)),
      expected_(expected),
      started_ms_(host.now_ms()),
      last_report_ms_(started_ms_) {}

void CrawlProgress::add(int64_t objects) {
    read_ += objects;
    const int64_t now = host_.now_ms();
    if (now - last_report_ms_ < kReportEveryMs) return;
    last_report_ms_ = now;
    const double seconds = static_cast<double>(std::max<int64_t>(now - started_ms_, 1)) / 1000.0;
    const double rate = static_cast<double>(read_) / seconds;
    char line[256];
    if (expected_ > read_ && rate > 0) {
        std::snprintf(line, sizeof(line), "%s: %lld read (%.0f/s), about %.0f s left", what_.c_str(),
                      static_cast<long long>(read_), rate, static_cast<double>(expected_ - read_) / rate);
    } else {
        std::snprintf(line, sizeof(line), "%s: %lld read (%.0f/s)", what_.c_str(), static_cast<long long>(read_), rate);
    }
    host_.info(line);
}

void CrawlProgress::finish() {
    const double seconds = static_cast<double>(std::max<int64_t>(host_.now_ms() - started_ms_, 1)) / 1000.0;
    char line[256];
    std::snprintf(line, sizeof(line), "%s: %lld read in %.1f s", what_.c_str(), static_cast<long long>(read_), seconds);
    host_.log(seconds >= kReportEveryMs / 1000.0 ? VIGIL_LOG_INFO : VIGIL_LOG_DEBUG, line);
}

vigil_status Listing::read(const sdk::Host& host, const std::string& path_or_url, const OnRecord& on_record,
                           std::string& delta_link, std::string& error, CrawlProgress* progress) {
    simdjson::dom::parser parser;
    std::string page_error;
    const vigil_status status = host.graph_get(
        path_or_url,
        [&](std::string_view page) {
            simdjson::dom::element root;
            if (const auto failure = parser.parse(page.data(), page.size(), true).get(root);
                failure != simdjson::SUCCESS) {
                page_error = std::string("a page is not valid JSON: ") + simdjson::error_message(failure);
                return false;
            }
            simdjson::dom::array values;
            if (root["value"].get_array().get(values) != simdjson::SUCCESS) {
                page_error = "a page has no \"value\" array";
                return false;
            }
            int64_t count = 0;
            for (simdjson::dom::element value : values) {
                on_record(value);
                ++count;
            }
            if (progress != nullptr) progress->add(count);
            std::string_view link;
            if (root["@odata.deltaLink"].get_string().get(link) == simdjson::SUCCESS) delta_link = std::string(link);
            return !host.cancelled();
        },
        error);
    if (!page_error.empty()) {
        error = "GET " + path_or_url.substr(0, path_or_url.find('?')) + ": " + page_error;
        return VIGIL_ERR_UNAVAILABLE;
    }
    if (status == VIGIL_OK && host.cancelled()) return VIGIL_ERR_CANCELLED;
    return status;
}

}  // namespace vigil::connectors
