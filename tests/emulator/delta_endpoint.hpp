#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

namespace vigil::emulator {

class GraphEmulator;

// GET /users/delta and /groups/delta as Graph serves them (graph-api.md section 3.2): a first round lists every
// object, later rounds from a deltaLink list what changed since (deleted objects as {"id", "@removed"}); $select
// (with `members` on groups: members@delta, large groups split across entries) and `$filter=id eq '..' or ...` are
// given on the first request only and carried in the opaque tokens; $top, $orderby and $expand answer 400;
// `$deltatoken=latest` starts from now; `Prefer: odata.maxpagesize=N` sets the page size. A delta token older
// than the tenant's delta_ttl_ms answers 410 Gone (syncStateNotFound, Location: the initial query); tokens issued
// before GraphEmulator::invalidate_delta_tokens() answer 400 resyncRequired.
class DeltaQuery : public Poco::Net::HTTPRequestHandler {
public:
    enum class Resource { users, groups };
    DeltaQuery(GraphEmulator& emulator, Resource resource, std::string version)
        : emulator_(emulator), resource_(resource), version_(std::move(version)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

private:
    GraphEmulator& emulator_;
    Resource resource_;
    std::string version_;
};

}  // namespace vigil::emulator
