#pragma once

#include <simdjson.h>
#include <vigil/plugin.hpp>

#include <string>
#include <string_view>

namespace vigil::connectors {

// A signIn record (v1.0 or beta, graph-api.md section 2.2) as Vigil's event record (contract section 4):
//   action       Successful Logon (status.errorCode 0) or Failed Logon
//   object_type  User, or ServicePrincipal for service principal and managed identity sign-ins
//   what         the application signed in to (else the resource)
//   who          the user's UPN, else the service principal's name
//   workstation  the client IP address, and the device's name where known: "203.0.113.7 (LAPTOP-7)"
//   details      {application, application_id, resource, client_app, event_type, interactive, device{...},
//                location{...}, conditional_access, authentication_requirement, error_code, failure_reason,
//                risk{...}, correlation_id}: what a logon report shows, with Graph's own values
class SignInNormalizer {
public:
    // Fills event from record; views point into record, raw and this normalizer's buffers, valid until the next
    // call. error_code receives status.errorCode. False, with why set, when the record has no id or no readable
    // createdDateTime.
    bool normalize(simdjson::dom::element record, std::string_view raw, sdk::Event& event, int64_t& error_code,
                   std::string& why);

private:
    std::string workstation_;
    std::string details_;
};

}  // namespace vigil::connectors
