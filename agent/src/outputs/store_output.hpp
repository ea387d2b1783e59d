#pragma once

#include <vigil/plugin.h>

namespace vigil {

// The built-in `store` output: the event store reports read (SQLite under data_dir unless `path` says otherwise),
// on even when not listed. Idempotent by event id, so a batch retried after a crash is stored once; events older
// than `retention` are deleted as new ones arrive.
const vigil_plugin_descriptor* store_output_descriptor();

}  // namespace vigil
