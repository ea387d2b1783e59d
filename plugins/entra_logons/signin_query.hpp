#pragma once

#include "time_windows.hpp"

#include <cstdint>
#include <string>

namespace vigil::connectors {

// What the Logons connector collects, from its switches.
struct SignInSelection {
    bool failed = true;
    bool successful = true;
    bool interactive = true;
    bool non_interactive = false;
    bool service_principal = false;
    bool managed_identity = false;
    int64_t page_size = 1000;

    // Only interactive sign-ins exist in v1.0; the other kinds need beta's signInEventTypes filter.
    bool needs_beta() const { return non_interactive || service_principal || managed_identity; }
    // Failed only: Graph documents only `eq` on status/errorCode, so failures are picked out here, not by Graph.
    bool keep(int64_t error_code) const { return error_code == 0 ? successful : failed; }
};

// GET path for one window: createdDateTime ge/le, status/errorCode eq 0 when only successful logons are wanted,
// and on beta signInEventTypes/any(t: t eq '...' or ...) for the kinds selected.
std::string signin_request(const SignInSelection& selection, const Window& window);

}  // namespace vigil::connectors
