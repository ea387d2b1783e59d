#pragma once

#include <vigil/plugin.hpp>

#include <optional>
#include <string>

namespace vigil::connectors {

// The tenant's default verified domain ("contoso.com") from GET /organization, for the event's `where`. Empty when
// it cannot be read for good (the permission is missing): the host then writes the tenant id, which is never wrong.
// nullopt when Graph could not answer now (throttled, unavailable): ask again at the next run.
std::optional<std::string> primary_domain(const sdk::Host& host);

}  // namespace vigil::connectors
