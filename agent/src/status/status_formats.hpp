#pragma once

#include "status/status_snapshot.hpp"

#include <cstddef>
#include <string>

namespace vigil {

// /metrics: the Prometheus text exposition format (version 0.0.4). Counters end in _total; label values escaped
// (backslash, double quote, line feed). Per collection job: events collected (stored), duplicate, filtered by hooks
// and rejected as malformed; runs and failed runs; collection lag; last success; Graph requests, throttled and
// failed. Per output: backlog, bytes it keeps in the spool, events lost to the spool's budget, failures. Per
// source: billable and service accounts.
std::string prometheus_metrics(const StatusSnapshot& status);

// /status: one JSON object per source with its connectors, and the outputs, each with its last error in words.
std::string status_json(const StatusSnapshot& status);

// /healthz: whether the agent takes events ("ok"), or why not (the spool is full: collection paused).
bool healthy(const StatusSnapshot& status, std::string& reason);

// What `vigil run --once` prints at its end: one screen (a table of the jobs, one of the outputs, and what failed)
// fitted to `width` columns.
std::string run_summary(const StatusSnapshot& status, size_t width);

}  // namespace vigil
