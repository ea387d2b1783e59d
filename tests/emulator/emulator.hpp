#pragma once

#include "directory.hpp"
#include "scenario.hpp"
#include "signin_data.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace vigil::emulator {

int64_t now_ms();

// A CA of its own and a loopback server certificate (localhost, 127.0.0.1) signed by it, written to state_dir as
// ca.pem, server.pem and server.key (0600). Returns the path of ca.pem. Any test receiver can serve TLS with them.
std::string make_tls_material(const std::string& state_dir);

// One request as the emulator saw it, for tests to check what the agent sent (and when).
struct LoggedRequest {
    std::string method;
    std::string path;  // with the query
    int status = 0;
    int64_t time_ms = 0;  // arrival
};

// A Microsoft Graph and Entra token endpoint test double on loopback HTTPS. It makes its own CA and server
// certificate in state_dir (ca.pem is what a client must trust), so tests exercise real TLS verification.
class GraphEmulator {
public:
    struct Options {
        std::string state_dir;
        Scenario scenario;
        unsigned short port = 0;  // 0: any free port
    };
    explicit GraphEmulator(Options options);
    ~GraphEmulator();
    GraphEmulator(const GraphEmulator&) = delete;
    GraphEmulator& operator=(const GraphEmulator&) = delete;

    unsigned short port() const { return port_; }
    std::string base_url() const { return "https://127.0.0.1:" + std::to_string(port_); }
    const std::string& ca_file() const { return ca_file_; }
    const Scenario& scenario() const { return options_.scenario; }
    // Whether the tenant's nth record, dated time_ms, is visible now: records dated in the future appear when their
    // time comes; late ones (every late_every-th) late_by_ms after that, or after the emulator's start.
    bool visible(const Tenant& tenant, int n, int64_t time_ms) const {
        const int64_t now = now_ms();
        if (tenant.late_every == 0 || n % tenant.late_every != 0) return now >= time_ms;
        if (late_released_.load()) return now >= time_ms;
        const int64_t started = started_ms_.load();
        return started != INT64_MAX && now >= std::max(time_ms, started) + tenant.late_by_ms;
    }
    // Late records become visible now, whatever late_by_ms says: tests decide when "later" is.
    void release_late_records() { late_released_ = true; }
    // When the tenant's nth audit happened (one second apart from its first).
    static int64_t audit_time_ms(const Tenant& tenant, int n) { return tenant.audits_from_ms + int64_t{n} * 1000; }
    // The users that act in the tenant's audits and sign-ins: its directory's, as generated.
    const std::vector<DirectoryUser>& actors(const std::string& tenant_id) const { return actors_.at(tenant_id); }
    // How many times the tenant's nth record is listed (2 for a documented duplicate).
    static int copies(const Tenant& tenant, int n) {
        return tenant.duplicate_every > 0 && n % tenant.duplicate_every == 0 ? 2 : 1;
    }

    std::vector<LoggedRequest> requests() const;
    void log(LoggedRequest request);

    // Access tokens the token endpoint issued: (token, tenant id, client id, expiry).
    struct IssuedToken {
        std::string tenant_id;
        std::string client_id;
        int64_t expires_at_ms = 0;
        // With the scenario's token_valid_ms: the token dies this long after its first use (0: not used yet).
        int64_t valid_after_first_use_ms = 0;
        int64_t first_used_ms = 0;
    };
    std::string issue_token(const std::string& tenant_id, const std::string& client_id, int64_t lifetime_s);
    // The tenant and application a bearer token was issued to; false when unknown, expired or revoked.
    bool holder_of_token(const std::string& token, const Tenant*& tenant, const Application*& application);
    // Every token issued so far stops working (a revocation, or tokens that expire early): the next Graph request
    // gets 401 InvalidAuthenticationToken.
    void revoke_tokens();
    // Counts a Graph request for the tenant and returns its number (1, 2, ...), for every-Nth faults.
    int count_request(const std::string& tenant_id);
    // The ids of every record the tenant has, in order: the ground truth tests compare with.
    std::vector<std::string> audit_ids(const std::string& tenant_id) const;
    // The tenant's pre-rendered sign-ins, newest first (empty for an unknown tenant).
    const std::vector<SignInRecord>& signins(const std::string& tenant_id) const;
    // Charges cost against key's sliding window of at most limit; returns 0 when within it, else how long until
    // enough of the window has passed (the Retry-After). Over-limit requests are charged too, as Graph does.
    int64_t charge(const std::string& key, int cost, int limit, int64_t window_ms);
    // The tenant's directory (users, groups, roles, applications ...): tests change it between collections.
    Directory& directory(const std::string& tenant_id);
    // Delta tokens issued before now answer 400 resyncRequired (a sync reset, without waiting for expiry).
    void invalidate_delta_tokens() { delta_valid_from_ms_ = now_ms() + 1; }
    int64_t delta_valid_from_ms() const { return delta_valid_from_ms_.load(); }
    // False when the assertion id was seen before (a replayed assertion).
    bool remember_assertion(const std::string& jwt_id);
    // A delta round's entries, rendered at its first page and kept for its later ones (the last few rounds): paging
    // a round of 100 k users must not render it again for each of its 1,000 pages. key names the round.
    using RoundEntries = std::map<std::string, std::string>;
    std::shared_ptr<const RoundEntries> delta_round(const std::string& key,
                                                    const std::function<RoundEntries()>& render);

private:
    Options options_;
    std::atomic<int64_t> started_ms_{INT64_MAX};
    std::atomic<bool> late_released_{false};  // set once serving; read by the server threads
    std::string ca_file_;
    unsigned short port_ = 0;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    mutable std::mutex mutex_;
    std::vector<LoggedRequest> requests_;
    std::vector<std::pair<std::string, IssuedToken>> tokens_;
    std::set<std::string> assertion_ids_;
    std::map<std::string, int> request_counts_;
    std::map<std::string, std::vector<SignInRecord>> signins_;  // by tenant id; built before serving, then read-only
    std::map<std::string, std::unique_ptr<Directory>> directories_;
    std::map<std::string, std::vector<DirectoryUser>>
        actors_;  // by tenant id; read-only once serving     // by tenant id; the map itself is read-only
    std::map<std::string, std::deque<std::pair<int64_t, int>>> usage_;  // (time, cost) in the last 10 s, by key
    std::atomic<int64_t> delta_valid_from_ms_{0};
    std::deque<std::pair<std::string, std::shared_ptr<const RoundEntries>>> delta_rounds_;  // under mutex_
};

}  // namespace vigil::emulator
