#include "window_collector.hpp"

namespace vigil::connectors {

void WindowCollector::run(const RequestFor& request_for, const PageHandler& on_page) {
    const auto range = range_to_read(checkpoint_time(host_.checkpoint()), host_.now_ms(), settings_);
    if (!range) return;
    WindowCutter cutter(*range, settings_.chunk_ms);
    while (const auto next = cutter.next()) {
        const Window& window = *next;
        int pages = 0;
        const std::string request = request_for(window);
        host_.log(VIGIL_LOG_DEBUG, "reading " + checkpoint_text(window.from_ms) + " to " +
                                       checkpoint_text(window.to_ms) + ": GET " + request);
        for (int attempt = 0;; ++attempt) {
            vigil_status failed = VIGIL_OK;
            std::string error;
            page_error_.clear();
            pages = 0;
            const vigil_status status = host_.graph_get(
                request,
                [&](std::string_view text) {
                    ++pages;
                    if ((failed = on_page(text, page_error_)) != VIGIL_OK) return false;
                    // Stored page by page; the checkpoint waits for the whole window.
                    failed = host_.commit({});
                    return failed == VIGIL_OK && !host_.cancelled();
                },
                error);
            if (failed != VIGIL_OK) {
                throw sdk::Error(failed, "GET " + request + ": " +
                                             (page_error_.empty() ? "a page's events could not be stored (status " +
                                                                        std::to_string(static_cast<int>(failed)) +
                                                                        "); the agent's log says why"
                                                                  : page_error_));
            }
            if (host_.cancelled()) throw sdk::Error(VIGIL_ERR_CANCELLED, "stopping");
            if (status == VIGIL_ERR_EXPIRED && attempt < kMaxRestarts) {
                host_.info("a nextLink expired while reading " + checkpoint_text(window.from_ms) + " to " +
                           checkpoint_text(window.to_ms) + "; reading that window again");
                continue;
            }
            if (status != VIGIL_OK) {
                throw sdk::Error(status, error.empty() ? "GET " + request + " failed (status " +
                                                             std::to_string(static_cast<int>(status)) + ")"
                                                       : error);
            }
            break;
        }
        if (const vigil_status status = host_.commit(checkpoint_text(window.to_ms)); status != VIGIL_OK) {
            throw sdk::Error(status, "the events of " + checkpoint_text(window.from_ms) + " to " +
                                         checkpoint_text(window.to_ms) + " could not be stored");
        }
        cutter.pages_read(pages);
    }
}

}  // namespace vigil::connectors
