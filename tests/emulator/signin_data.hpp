#pragma once

#include "directory.hpp"
#include "scenario.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::emulator {

// One generated sign-in, rendered once (v1.0 and beta bodies) so that serving a page is copying bytes: the emulator
// must never be what limits a benchmark of the agent.
struct SignInRecord {
    int n;  // generation number: decides lateness and duplication
    int64_t time_ms;
    std::string id;
    std::string event_type;  // interactiveUser | nonInteractiveUser | servicePrincipal | managedIdentity
    int error_code;          // 0: success
    std::string v1_json;     // no signInEventTypes (v1.0 has none)
    std::string beta_json;
};

// The tenant's sign-ins, newest first (Graph's order): every 5th fails with 50126, every 4th is non-interactive,
// every 10th a service principal's, every 20th a managed identity's. Names carry unicode, quotes and a newline.
// actors: the users who sign in (service accounts among them), in turn.
std::vector<SignInRecord> generate_signins(const Tenant& tenant, const std::vector<DirectoryUser>& actors);

}  // namespace vigil::emulator
