#pragma once

#include <Poco/AutoPtr.h>

#include <chrono>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace Poco::Net {
class HTTPSClientSession;
class Context;
}  // namespace Poco::Net

namespace vigil::graph {

struct HttpResponse {
    int status = 0;
    std::string body;                            // decompressed when the server sent gzip
    std::map<std::string, std::string> headers;  // names in lower case
    std::string header(const std::string& lower_name) const;
};

// The server's certificate could not be verified, or the TLS handshake failed: names the host and the CA file.
class TlsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A connection failed, was reset or timed out: worth retrying with backoff.
class TransportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct HttpsOptions {
    std::string ca_file;  // an extra trusted CA (PEM) besides the system's; verification is never switched off
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds read_timeout{60'000};
};

// HTTPS with keep-alive connections reused per host, certificate and host-name verification always on, and gzip.
// Not thread-safe: each user (a collection job, a token cache entry) holds its own.
class HttpsClient {
public:
    explicit HttpsClient(HttpsOptions options);
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    HttpResponse get(const std::string& url, const std::map<std::string, std::string>& headers = {});
    HttpResponse post_form(const std::string& url, const std::string& form_body,
                           const std::map<std::string, std::string>& headers = {});

private:
    HttpResponse send(const std::string& method, const std::string& url, const std::string& body,
                      const std::string& content_type, const std::map<std::string, std::string>& headers);
    class Session;  // an HTTPSClientSession whose response body can be read in large reads
    Session& session_for(const std::string& scheme, const std::string& host, unsigned short port);

    HttpsOptions options_;
    Poco::AutoPtr<Poco::Net::Context> context_;
    std::map<std::string, std::unique_ptr<Session>> sessions_;  // by host:port
};

// Percent-encodes what may not appear in an HTTP request target (space, quotes, <, >, non-ASCII ...) and leaves the
// rest, including existing %XX escapes, as it is: Graph's documented filters are written with spaces and quotes,
// and nextLinks arrive already encoded.
std::string escape_request_target(std::string_view target);

// application/x-www-form-urlencoded escaping of one value.
std::string form_escape(const std::string& value);

}  // namespace vigil::graph
