#pragma once

#include "pipeline/event.hpp"

#include <lua.hpp>

namespace vigil {

// The event as a hook sees it: a userdata whose fields are read and written on demand, so a hook that reads two
// fields costs two lookups, not a table of a dozen strings per event.
//
//   event.id, .time (RFC 3339), .time_ms, .action, .object_type, .what, .who, .where, .workstation, .status,
//   .details and .raw (JSON text), .connector, .organization, .source_group, .tenant_id (the last four read-only)
//
// Writing a string field sets it (`event.who = "redacted"`); `nil` empties it. The proxy is valid only during the
// call it was made for: the host closes it afterwards, and a script that kept it gets an error, not freed memory.
namespace lua_event {

// Registers the proxy's metatable in the state (once per hook).
void register_type(lua_State* state);
// Pushes a proxy for event (borrowed for the call). With backup, the first write through the proxy first copies the
// event there and sets *backed_up, so that a failed call can be undone without copying every event.
void push(lua_State* state, Event& event, const JobIdentity& job, Event* backup = nullptr, bool* backed_up = nullptr);
// Whether the value at index is a proxy for event (a hook returning the event it was given).
bool is(lua_State* state, int index, const Event& event);
// Ends the proxy at index: later use raises an error.
void close(lua_State* state, int index);

}  // namespace lua_event

}  // namespace vigil
