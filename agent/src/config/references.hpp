#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Expands `${env:NAME}` and `${file:PATH}` anywhere in a configuration value. A file's trailing newlines are dropped
// (secret files usually end with one); relative paths are taken from base_dir, the folder of the YAML file.
// On failure returns nullopt and sets error to a sentence naming the reference and what to do.
std::optional<std::string> expand_references(std::string_view text, const std::string& base_dir, std::string& error);

// True when the value contains a reference (so a secret written this way is not a literal in the file).
bool has_reference(std::string_view text);

}  // namespace vigil
