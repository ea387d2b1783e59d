#pragma once

#include "app/cli.hpp"

namespace vigil {

// `vigil report KIND`: state and risks from the state store (table or json). The activity and logons reports and
// the csv and html forms need the event store of issue #7 and come with it.
int command_report(const CommandLine& line);

}  // namespace vigil
