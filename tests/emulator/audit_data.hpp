#pragma once

#include "directory.hpp"
#include "scenario.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::emulator {

// The id of the tenant's nth generated directoryAudit.
std::string audit_id(const Tenant& tenant, int n);

// Appends the tenant's nth directoryAudit with Graph's property names and nesting. Ten activities in turn (users
// added, updated, deleted and their passwords reset; members added to and removed from groups; roles assigned;
// application secrets changed; consent granted; groups updated), initiated by administrators, by service accounts
// (every 11th) or by an application (every 7th), every 13th a failure; what makes normalizers earn their keep:
// unicode and quotes in names, JSON-encoded old and new values, null display names. actors: the tenant's users.
void append_audit(std::string& out, const Tenant& tenant, int n, int64_t time_ms,
                  const std::vector<DirectoryUser>& actors);

}  // namespace vigil::emulator
