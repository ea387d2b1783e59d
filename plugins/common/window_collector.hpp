#pragma once

#include "time_windows.hpp"

#include <vigil/plugin.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace vigil::connectors {

// The run loop the time-filtered connectors share: for each window WindowCutter cuts from range_to_read, GET the
// listing the plugin names for it, hand every page's records to the plugin, store them page by page (commit without a
// checkpoint), and move the checkpoint to the window's end once all of it is stored. A nextLink never outlives its run:
// after a crash the next run starts again from the checkpoint, by time. An expired nextLink restarts its window.
class WindowCollector {
public:
    // Parses the page (as received), emits its records through the host; returns VIGIL_OK or the status that ends
    // the run, with error set when the page could not be read.
    using PageHandler = std::function<vigil_status(std::string_view page, std::string& error)>;
    // The Graph request for one window: a path with its $filter, $top ...
    using RequestFor = std::function<std::string(const Window& window)>;

    WindowCollector(sdk::Host host, WindowSettings settings) : host_(host), settings_(settings) {}

    // Throws sdk::Error with the host's status and message when a window cannot be read (denied, unavailable,
    // cancelled): the windows read before it stay stored and checkpointed.
    void run(const RequestFor& request_for, const PageHandler& on_page);

private:
    static constexpr int kMaxRestarts = 3;  // per window: expired nextLinks are rare; more means something is wrong

    sdk::Host host_;
    WindowSettings settings_;
    std::string page_error_;
};

}  // namespace vigil::connectors
