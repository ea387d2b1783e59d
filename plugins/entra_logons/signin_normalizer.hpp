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
// Sign-ins are the high-volume log: a record is walked once, field by field (simdjson On-Demand), and nothing is
// allocated per record once the buffers have grown.
class SignInNormalizer {
public:
    // Fills event from record (walking it) and raw; views point into the page, raw and this normalizer's buffers,
    // valid until the next call. error_code receives status.errorCode. False, with why set, when the record has no
    // id or no readable createdDateTime, or cannot be read.
    bool normalize(simdjson::ondemand::object& record, std::string_view raw, sdk::Event& event, int64_t& error_code,
                   std::string& why);

private:
    // The fields a logon event uses; views into the page's strings.
    struct Fields {
        std::string_view id, created, user_display_name, user_principal_name, service_principal_name, app_id,
            app_display_name, ip_address, client_app, correlation_id, conditional_access, resource,
            authentication_requirement, risk_detail, risk_aggregated, risk_during, risk_state, event_type,
            failure_reason, additional_details, device_id, device_name, operating_system, browser, trust_type, city,
            state, country;
        int64_t error_code = 0;
        int interactive = -1;  // -1: not given
        int compliant = -1;
        int managed = -1;
        bool has_device = false;
    };
    bool read(simdjson::ondemand::object& record, Fields& fields);

    std::string workstation_;
    std::string details_;
};

}  // namespace vigil::connectors
