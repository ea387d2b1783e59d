#pragma once

#include <vigil/plugin.hpp>

#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <string>

namespace vigil::connectors {

// Counts what a long crawl has read and says so in the log every few seconds: objects read, the rate, and, when
// the size is known from the last snapshot, about how long is left.
class CrawlProgress {
public:
    CrawlProgress(sdk::Host host, std::string what, int64_t expected);
    void add(int64_t objects);
    void finish();

private:
    sdk::Host host_;
    std::string what_;
    int64_t expected_;
    int64_t read_ = 0;
    int64_t started_ms_;
    int64_t last_report_ms_;
};

// One Graph listing read to its end: every record of every page to on_record, and the deltaLink of a delta round.
// Returns the host's status (VIGIL_ERR_EXPIRED for a delta token that must be replaced by a full round), with error
// naming the request; a page that is not JSON ends the listing as VIGIL_ERR_UNAVAILABLE.
struct Listing {
    using OnRecord = std::function<void(simdjson::dom::element record)>;
    static vigil_status read(const sdk::Host& host, const std::string& path_or_url, const OnRecord& on_record,
                             std::string& delta_link, std::string& error, CrawlProgress* progress = nullptr);
};

}  // namespace vigil::connectors
