#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

namespace vigil::emulator {

class GraphEmulator;

// The directory listings the State connector reads, with Graph's permissions, page sizes (default 100, at most
// 999), $select (unknown properties answer 400, as Graph does), the $filter forms the connectors use, licence
// checks (signInActivity and userRegistrationDetails need P1/P2), ResourceUnit costs, and the tenant's faults:
//   /users  /groups  /groups/{id}/members  /groups/{id}/transitiveMembers  /directoryRoles (no paging)
//   /directoryRoles/{id}/members  /directoryRoles/roleTemplateId={id}/members  /applications  /servicePrincipals
//   /reports/authenticationMethods/userRegistrationDetails  /organization
class DirectoryListing : public Poco::Net::HTTPRequestHandler {
public:
    enum class Resource {
        users,
        groups,
        members,
        transitive_members,
        roles,
        role_members,
        applications,
        service_principals,
        registration_details,
        organization
    };
    // id: the group or role the members are of; version: "v1.0" or "beta".
    DirectoryListing(GraphEmulator& emulator, Resource resource, std::string id, std::string version)
        : emulator_(emulator), resource_(resource), id_(std::move(id)), version_(std::move(version)) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

    // The handler for a request path, or nullptr when the path is not a directory listing.
    static DirectoryListing* for_path(GraphEmulator& emulator, const std::string& path);

private:
    GraphEmulator& emulator_;
    Resource resource_;
    std::string id_;
    std::string version_;
};

}  // namespace vigil::emulator
