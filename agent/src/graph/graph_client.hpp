#pragma once

#include "graph/clouds.hpp"
#include "graph/graph_request_counts.hpp"
#include "graph/https_client.hpp"
#include "graph/page_links.hpp"
#include "graph/request_limiter.hpp"
#include "graph/token_cache.hpp"
#include "graph/token_client.hpp"

#include <atomic>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::graph {

// Who is asking: every message names these (never the secret).
struct GraphSource {
    std::string organization;
    std::string tenant_id;
    ClientCredential credential;
    Endpoints endpoints;
    std::string ca_file;
};

// A Graph request that failed for good (retries spent, or not worth retrying): what happened and what to do.
class GraphError : public std::runtime_error {
public:
    enum class Kind {
        auth,
        permission,
        licence,
        unavailable,
        bad_request,
        not_found,
        tls,
        cancelled,
        expired_link  // a nextLink's skip token or a delta token expired: restart that listing
    };
    GraphError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

struct RetryPolicy {
    int max_attempts = 6;                          // per page; then a clear error
    std::chrono::milliseconds base_backoff{1000};  // 1 s, 2 s, 4 s ... with full jitter
    std::chrono::milliseconds max_backoff{60'000};
};

// Authenticated, throttled, retried Graph GETs with paging, for one source. Not thread-safe: one per job. The token
// cache and the limiter are shared by all jobs.
class GraphClient {
public:
    GraphClient(GraphSource source, TokenCache& tokens, RequestLimiter& limiter, RetryPolicy retry,
                const std::atomic<bool>& cancelled);

    // GETs path (relative to the source's Graph host, "/v1.0/...") or an absolute URL on that host (a stored
    // deltaLink), follows every @odata.nextLink, and hands each page's JSON to on_page as it arrives (the host
    // never holds more than one page). on_page returns false to stop. Throws GraphError.
    void get_pages(const std::string& path_or_url, const std::function<bool(std::string_view page)>& on_page);
    // Gets a token (from the cache or the token endpoint) without calling Graph; throws TokenError, TlsError or
    // TransportError. `vigil doctor` checks each source's credential this way.
    void authenticate() { token(false); }
    // Counts every request into counts from now on (the job's, for the status endpoint); the caller keeps it alive.
    void count_into(GraphRequestCounts* counts) { counts_ = counts; }

private:
    struct Page {
        HttpResponse response;
        PageLinks links;
    };
    // A 200 whose body is one well-formed JSON object; malformed pages are retried like transient failures.
    Page get_with_retries(const std::string& url);
    // One GET with the bearer token, counted (requests, throttled, failed) when counting.
    HttpResponse counted_get(const std::string& url);
    std::string token(bool force_refresh);
    [[noreturn]] void fail_for(const HttpResponse& response, const std::string& url);
    std::string who() const;

    GraphSource source_;
    TokenCache& tokens_;
    RequestLimiter& limiter_;
    RetryPolicy retry_;
    const std::atomic<bool>& cancelled_;
    HttpsClient http_;
    std::string limiter_key_;
    GraphRequestCounts* counts_ = nullptr;
};

// The GraphError for a non-retryable Graph answer; request names it ("GET /v1.0/... for tenant ...").
GraphError graph_error_for(int status, const std::string& body, const std::string& request, const std::string& url);

// The application permission(s) a Graph path needs, for 403 advice: "permission X" or "permissions X and Y".
std::string permission_for(const std::string& path);
// Retry-After as Graph sends it: seconds, possibly a decimal ("2.128"). nullopt when absent or malformed.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value);

}  // namespace vigil::graph
