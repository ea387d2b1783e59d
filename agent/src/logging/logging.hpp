#pragma once

#include "config/config.hpp"

namespace vigil {

// Sends the agent's log to the configured file (or stderr) at the configured level. Called once the
// configuration is valid; before that, errors go to stderr.
void configure_logging(const LogConfig& log);

}  // namespace vigil
