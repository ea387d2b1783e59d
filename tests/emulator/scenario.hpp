#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::emulator {

// An application registered in an emulated tenant, with the credential it accepts.
struct Application {
    Application() = default;
    Application(std::string id, std::string secret_value, bool expired, std::string certificate)
        : client_id(std::move(id)),
          secret(std::move(secret_value)),
          secret_expired(expired),
          certificate_file(std::move(certificate)) {}

    std::string client_id;
    std::string secret;            // empty: no secret
    bool secret_expired = false;   // the secret exists but has expired (AADSTS7000222)
    std::string certificate_file;  // PEM of the uploaded certificate; empty: none
    bool all_permissions = true;   // false: only those in `permissions` were granted (and consented)
    std::vector<std::string> permissions;

    bool has_permission(const std::string& permission) const {
        if (all_permissions) return true;
        for (const auto& granted : permissions) {
            if (granted == permission) return true;
        }
        return false;
    }
};

// Faults a tenant's Graph requests meet, counted per tenant: every Nth request (0: never).
struct Faults {
    int throttle_every = 0;         // 429 with Retry-After
    std::string retry_after = "1";  // seconds, may be a decimal ("0.25"), as Graph sends it
    int unavailable_every = 0;      // 503 without Retry-After
    int malformed_every = 0;        // 200 with a page cut short (not valid JSON)
    int reset_every = 0;            // the connection is reset before any response
    int drop_every = 0;             // the connection ends (TCP FIN, no TLS close_notify) before any response
};

// How big the tenant's directory is (users, groups, applications); roles, service principals, MFA registration and
// domains follow from these. All 0: no directory.
struct DirectorySize {
    int users = 0;
    int groups = 0;
    int applications = 0;
    int groups_per_user = 1;  // how many "Project" groups each user is in (a benchmark's membership count)
};

// Graph's own limits, enforced when set (0: not enforced): a client that keeps under them never sees a 429.
struct Limits {
    int report_requests = 0;     // per tenant+application per 10 s on auditLogs and authentication method reports (5)
    int resource_units = 0;      // directory ResourceUnits per tenant+application per 10 s (3,500 to 8,000)
    int64_t window_ms = 10'000;  // Graph's window; shorter only to test throttling quickly
};

struct Tenant {
    std::string id;
    std::string domain;
    bool premium = true;  // Entra ID P1/P2: sign-in logs need it
    std::vector<Application> applications;
    int audit_records = 0;  // directoryAudits generated for the tenant, one second apart
    // When the first audit and sign-in happened. INT64_MIN: so that the newest of each is at the emulator's start.
    // Records later than now become visible when their time comes: a live tenant.
    int64_t records_from_ms = INT64_MIN;
    std::optional<int64_t> records_from_offset_ms;  // relative to the emulator's start instead ("-2h")
    // Resolved by the emulator when it starts: when its first audit and first sign-in happened.
    int64_t audits_from_ms = 0;
    int64_t signins_from_ms = 0;
    // Graph's documented latency and duplicates: every late_every-th record becomes visible only late_by_ms after
    // the emulator starts (0: none); every duplicate_every-th record is listed twice, as a retried batch is.
    int late_every = 0;
    int64_t late_by_ms = 0;
    int duplicate_every = 0;
    int64_t link_ttl_ms = 0;  // a nextLink older than this answers 400 "Invalid Skip Token" (0: never expires)
    int signin_records = 0;   // signIns of every kind, 500 ms apart (see signin_data.hpp for the mix)
    DirectorySize directory;
    // A delta token older than this answers 410 Gone with syncStateNotFound (directory objects: 7 days).
    int64_t delta_ttl_ms = 7LL * 24 * 3600 * 1000;
    Limits limits;
    Faults faults;
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
//       audit_records: 2500
//       faults: {throttle_every: 3, retry_after: "0.5", unavailable_every: 0}
struct Scenario {
    int64_t token_lifetime_s = 3599;
    // Tokens stop working this long after their first use whatever expires_in says (0: as advertised): a revocation
    // or a continuous access evaluation event, so clients meet 401 InvalidAuthenticationToken mid-paging. Counted
    // from first use, not issue, so a slow machine (a sanitizer build) never sees a token die before it served once.
    int64_t token_valid_ms = 0;
    bool gzip = true;  // honour Accept-Encoding: gzip (off: measure the emulator without compression)
    std::vector<Tenant> tenants;

    const Tenant* find_tenant(const std::string& id_or_domain) const;
    static Scenario load(const std::string& path);  // throws std::runtime_error naming the file and key
};

}  // namespace vigil::emulator
