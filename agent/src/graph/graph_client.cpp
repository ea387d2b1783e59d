#include "graph/graph_client.hpp"

#include "graph/page_links.hpp"

#include <Poco/JSON/Parser.h>
#include <spdlog/spdlog.h>
#include "util/wall_clock.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

namespace vigil::graph {

namespace {

// Graph's error body: {"error":{"code":"...","message":"...","innerError":{...}}}. Empty strings when it is
// something else.
std::pair<std::string, std::string> graph_error_of(const std::string& body) {
    try {
        const auto root = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
        const auto error = root->getObject("error");
        if (!error) return {};
        return {error->optValue<std::string>("code", ""), error->optValue<std::string>("message", "")};
    } catch (const std::exception&) {
        return {};
    }
}

// Whether the error, or any innerError inside it, carries one of Graph's codes for an expired delta token.
bool says_resync(const std::string& body) {
    static const char* const kCodes[] = {"syncStateNotFound", "resyncRequired", "resyncApplyDifferences",
                                         "resyncUploadDifferences"};
    try {
        auto object = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>()->getObject("error");
        while (object) {
            const std::string code = object->optValue<std::string>("code", "");
            for (const char* wanted : kCodes) {
                if (code == wanted) return true;
            }
            object = object->has("innerError") ? object->getObject("innerError") : object->getObject("innererror");
        }
    } catch (const std::exception&) {
    }
    return false;
}

std::string path_of(const std::string& url) {
    const size_t scheme = url.find("://");
    const size_t path = scheme == std::string::npos ? 0 : url.find('/', scheme + 3);
    if (path == std::string::npos) return "/";
    return url.substr(path, url.find('?', path) - path);
}

bool retryable_status(int status) {
    return status == 500 || status == 502 || status == 503 || status == 504 || status == 509;
}

}  // namespace

std::string permission_for(const std::string& path) {
    const auto has = [&](const char* part) { return path.find(part) != std::string::npos; };
    // Graph's documentation: the audit and sign-in APIs need both ("a known issue ... requires consent to both").
    if (has("/auditLogs/")) return "permissions AuditLog.Read.All and Directory.Read.All";
    if (has("/reports/authenticationMethods")) return "permission AuditLog.Read.All";
    if (has("signInActivity")) return "permissions User.Read.All and AuditLog.Read.All";
    // The least privileged permission first; Directory.Read.All covers every directory read.
    if (has("/applications") || has("/servicePrincipals")) return "permission Application.Read.All";
    if (has("/users")) return "permission User.Read.All (or Directory.Read.All)";
    if (has("/groups")) return "permission GroupMember.Read.All (or Directory.Read.All)";
    if (has("/directoryRoles") || has("/roleManagement")) {
        return "permission RoleManagement.Read.Directory (or Directory.Read.All)";
    }
    if (has("/organization")) return "permission Organization.Read.All (or Directory.Read.All)";
    return "permission Directory.Read.All";
}

std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value) {
    if (value.empty()) return std::nullopt;
    try {
        size_t used = 0;
        const double seconds = std::stod(value, &used);
        if (used != value.size() || !std::isfinite(seconds) || seconds < 0 || seconds > 3600) return std::nullopt;
        return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(seconds * 1000)));
    } catch (const std::exception&) {
        return std::nullopt;  // an HTTP date: rare from Graph; backoff applies instead
    }
}

GraphClient::GraphClient(GraphSource source, TokenCache& tokens, RequestLimiter& limiter, RetryPolicy retry,
                         const std::atomic<bool>& cancelled)
    : source_(std::move(source)),
      tokens_(tokens),
      limiter_(limiter),
      retry_(retry),
      cancelled_(cancelled),
      http_(HttpsOptions{source_.ca_file}),
      limiter_key_(source_.tenant_id + '\n' + source_.credential.client_id) {}

std::string GraphClient::who() const {
    return "tenant " + source_.tenant_id + " of organization '" + source_.organization + "' (credential '" +
           source_.credential.name + "')";
}

std::string GraphClient::token(bool force_refresh) {
    const std::string key = TokenCache::key_of(source_.credential.name, source_.tenant_id, source_.endpoints.login);
    return tokens_.get(
        key,
        [&] { return request_token(http_, source_.endpoints, source_.tenant_id, source_.credential, wall_clock_ms()); },
        wall_clock_ms(), force_refresh);
}

GraphError graph_error_for(int status, const std::string& body, const std::string& request, const std::string& url) {
    const auto [code, message] = graph_error_of(body);
    // Skip tokens (documented only in issues: 400 "Invalid Skip Token") and delta tokens (410, syncStateNotFound,
    // resyncRequired ...) expire; only the caller can restart its listing, so it is told apart from other 4xx.
    if (status == 410 || (status >= 400 && status < 500 && says_resync(body)) ||
        (status == 400 && message.rfind("Invalid Skip Token", 0) == 0)) {
        return GraphError(GraphError::Kind::expired_link,
                          request + " could not continue: its nextLink or delta token expired (HTTP " +
                              std::to_string(status) + (message.empty() ? "" : ": " + message) +
                              "); restart the listing from its start");
    }
    if (status == 403 && code == "Authentication_RequestFromNonPremiumTenantOrB2CTenant") {
        return GraphError(GraphError::Kind::licence,
                          request +
                              " needs an Entra ID P1 or P2 licence in the tenant; Graph also answers this way "
                              "intermittently, so Vigil tries again at the next run");
    }
    if (status == 403) {
        return GraphError(GraphError::Kind::permission,
                          request + " was denied (" + (code.empty() ? "403" : code) + "): grant the application " +
                              permission_for(url) +
                              " in the app registration's API permissions, then grant admin consent");
    }
    if (status == 404) return GraphError(GraphError::Kind::not_found, request + " found nothing: " + message);
    return GraphError(GraphError::Kind::bad_request, request + " failed with HTTP " + std::to_string(status) +
                                                         (code.empty() ? "" : " " + code) +
                                                         (message.empty() ? "" : ": " + message));
}

void GraphClient::fail_for(const HttpResponse& response, const std::string& url) {
    throw graph_error_for(response.status, response.body, "GET " + path_of(url) + " for " + who(), url);
}

HttpResponse GraphClient::counted_get(const std::string& url) {
    const std::string bearer = "Bearer " + token(false);
    if (counts_ != nullptr) counts_->requests.fetch_add(1, std::memory_order_relaxed);
    try {
        HttpResponse response = http_.get(url, {{"Authorization", bearer}, {"x-ms-throttle-priority", "Low"}});
        if (counts_ != nullptr && response.status == 429) {
            counts_->throttled.fetch_add(1, std::memory_order_relaxed);
        } else if (counts_ != nullptr && response.status != 200) {
            counts_->failed.fetch_add(1, std::memory_order_relaxed);
        }
        return response;
    } catch (const TransportError&) {
        if (counts_ != nullptr) counts_->failed.fetch_add(1, std::memory_order_relaxed);
        throw;
    } catch (const TlsError&) {
        if (counts_ != nullptr) counts_->failed.fetch_add(1, std::memory_order_relaxed);
        throw;
    }
}

GraphClient::Page GraphClient::get_with_retries(const std::string& url) {
    static thread_local std::mt19937_64 random{std::random_device{}()};
    bool refreshed = false;
    std::string last_problem;
    const RequestCost cost = request_cost(url);
    for (int attempt = 1; attempt <= retry_.max_attempts;) {
        const auto ticket = limiter_.acquire(limiter_key_, cost, cancelled_);
        if (!ticket) throw GraphError(GraphError::Kind::cancelled, "stopping");
        std::chrono::milliseconds wait{0};
        try {
            const LimiterTicket counted(limiter_, limiter_key_, cost, *ticket);
            const HttpResponse response = counted_get(url);
            if (response.status == 200) {
                if (auto links = read_page_links(response.body)) return Page{response, std::move(*links)};
                // Cut short or garbled on the way: worth another attempt, like a 5xx.
                if (counts_ != nullptr) counts_->failed.fetch_add(1, std::memory_order_relaxed);
                last_problem =
                    "a page that is not well-formed JSON (" + std::to_string(response.body.size()) + " bytes)";
            } else if (response.status == 401 && !refreshed &&
                       graph_error_of(response.body).first == "InvalidAuthenticationToken") {
                // Expired or revoked mid-run: one fresh token, the same page again; not an attempt.
                refreshed = true;
                token(true);
                continue;
            } else if (response.status == 429) {
                wait = parse_retry_after(response.header("retry-after")).value_or(std::chrono::milliseconds(0));
                last_problem = "throttled (429)";
            } else if (retryable_status(response.status)) {
                wait = parse_retry_after(response.header("retry-after")).value_or(std::chrono::milliseconds(0));
                last_problem = "HTTP " + std::to_string(response.status);
            } else if (response.status == 401) {
                throw GraphError(GraphError::Kind::auth, "GET " + path_of(url) + " for " + who() +
                                                             " was refused even with a fresh token (401)");
            } else {
                fail_for(response, url);
            }
        } catch (const TlsError& failure) {
            throw GraphError(GraphError::Kind::tls, failure.what());
        } catch (const TransportError& failure) {
            last_problem = failure.what();
        } catch (const TokenError& failure) {
            if (!failure.retryable())
                throw GraphError(GraphError::Kind::auth, std::string(failure.what()) + " (" + who() + ")");
            last_problem = failure.what();
        }
        if (wait.count() == 0) {
            // Exponential backoff with full jitter: retries from many jobs do not arrive together.
            const auto ceiling = std::min(retry_.max_backoff, std::chrono::milliseconds(retry_.base_backoff.count()
                                                                                        << std::min(attempt - 1, 16)));
            wait = std::chrono::milliseconds(
                std::uniform_int_distribution<int64_t>(ceiling.count() / 2, ceiling.count())(random));
        }
        limiter_.defer(limiter_key_, cost, wait);  // the whole tenant+application waits, not only this job
        spdlog::debug("GET {} for {}: {}; retrying in {} ms", path_of(url), who(), last_problem, wait.count());
        ++attempt;
    }
    throw GraphError(GraphError::Kind::unavailable, "GET " + path_of(url) + " for " + who() + " failed " +
                                                        std::to_string(retry_.max_attempts) +
                                                        " times; last: " + last_problem +
                                                        "; Vigil tries again at the "
                                                        "next run");
}

void GraphClient::get_pages(const std::string& path_or_url, const std::function<bool(std::string_view)>& on_page) {
    std::string url = path_or_url.rfind("https://", 0) == 0 ? path_or_url : source_.endpoints.graph + path_or_url;
    while (!url.empty()) {
        if (cancelled_.load()) throw GraphError(GraphError::Kind::cancelled, "stopping");
        const Page page = get_with_retries(url);
        if (!on_page(page.response.body)) return;
        // nextLink is opaque: followed as given, never rebuilt; it must stay on the Graph host we trust.
        const std::string& next = page.links.next_link;
        if (!next.empty() && next.rfind(source_.endpoints.graph + "/", 0) != 0) {
            throw GraphError(GraphError::Kind::bad_request,
                             "a nextLink points away from " + source_.endpoints.graph + ": " + next);
        }
        url = next;
    }
}

}  // namespace vigil::graph
