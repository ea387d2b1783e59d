#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::emulator {

// An application registered in an emulated tenant, with the credential it accepts.
struct Application {
    std::string client_id;
    std::string secret;            // empty: no secret
    bool secret_expired = false;   // the secret exists but has expired (AADSTS7000222)
    std::string certificate_file;  // PEM of the uploaded certificate; empty: none
};

struct Tenant {
    std::string id;
    std::string domain;
    bool premium = true;  // Entra ID P1/P2: sign-in logs need it
    std::vector<Application> applications;
};

// What the emulator pretends exists. Read from YAML:
//   token_lifetime: 3599           # seconds
//   tenants:
//     - id: 11111111-...
//       domain: contoso.onmicrosoft.com
//       premium: true
//       applications:
//         - {client_id: ..., secret: s3cret}
//         - {client_id: ..., certificate: app.crt}
struct Scenario {
    int64_t token_lifetime_s = 3599;
    std::vector<Tenant> tenants;

    const Tenant* find_tenant(const std::string& id_or_domain) const;
    static Scenario load(const std::string& path);  // throws std::runtime_error naming the file and key
};

}  // namespace vigil::emulator
