#pragma once

#include "pipeline/event.hpp"
#include "store/state_store.hpp"

#include <cstdint>
#include <string_view>

namespace vigil {

// The event record of one state change (connector entra_state, or any connector using the state store):
//   Added / Removed: the object, with details [{name, old, new}] for each of its properties;
//   Modified: one event per property, details [{name, old, new}].
// `time` is the snapshot's, `who` is empty (a snapshot sees that something changed, not who changed it), and the
// id is derived from the object, the property and the snapshot (contract section 4), so an event made again after
// a crash has the same id and is stored once.
void state_change_event(const StateChange& change, int64_t snapshot_ms, std::string_view where, Event& out);

}  // namespace vigil
