#pragma once

#include <vigil/plugin.h>

namespace vigil {

// The built-in `jsonl` output: one event record per line, appended to a file, exactly once across restarts and
// crashes (the resume token is the file size after the last confirmed write; reopening truncates anything past it).
const vigil_plugin_descriptor* jsonl_output_descriptor();

}  // namespace vigil
