#pragma once

#include <vigil/plugin.h>

namespace vigil {

// The built-in `http` output: batched, gzipped POSTs to a webhook (NDJSON or a JSON array), Splunk's HTTP Event
// Collector or Elasticsearch/OpenSearch _bulk (each event created under its id, so a retried batch adds nothing
// twice; refused items are retried one by one).
const vigil_plugin_descriptor* http_output_descriptor();

}  // namespace vigil
