#pragma once

#include "app/cli.hpp"

namespace vigil {

// `vigil doctor --config FILE [--org NAME]`: for each source, a token, then each enabled connector's Graph probes
// with $top=1; a table of source, check, result and what to do. Exit 0 when every enabled connector can work, 1
// when one cannot, 2 for a bad configuration or an unknown --org.
int command_doctor(const CommandLine& line);

}  // namespace vigil
