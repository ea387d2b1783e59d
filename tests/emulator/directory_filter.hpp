#pragma once

#include "directory_render.hpp"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace vigil::emulator {

// One `property op literal` clause of a directory $filter: accountEnabled eq false, userType eq 'Guest',
// signInActivity/lastSignInDateTime le 2026-01-01T00:00:00Z.
struct FilterClause {
    std::string property;  // may be a path: signInActivity/lastSignInDateTime
    std::string op;        // eq | ne | ge | le
    std::string literal;   // as JSON text: true, "Guest", or the time's text
    std::optional<int64_t> time_ms;
};

// Clauses joined by `and`. allowed: the operators each filterable property takes. nullopt and error set (Graph's
// wording) for anything else, as Graph answers 400 for filters it does not support.
std::optional<std::vector<FilterClause>> parse_directory_filter(
    const std::string& text, const std::map<std::string, std::set<std::string>>& allowed, std::string& error);

bool matches(const Properties& properties, const std::vector<FilterClause>& clauses);

}  // namespace vigil::emulator
