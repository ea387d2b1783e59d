#pragma once

#include <Poco/Net/Context.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace Poco::Net {
class HTTPClientSession;
}

namespace vigil {

// POSTs request bodies to one URL over a kept-alive connection (HTTPS with the server's certificate and name
// verified, or plain HTTP), reconnecting after any failure. Transport failures throw std::runtime_error naming the
// URL; any HTTP status is returned. Not thread-safe: one output's.
class HttpPoster {
public:
    struct Options {
        std::string url;
        std::string ca_file;  // HTTPS: an extra CA besides the system's
        int64_t timeout_ms = 30'000;
    };
    struct Response {
        int status = 0;
        std::string body;
        int64_t retry_after_s = -1;  // the Retry-After header in seconds, -1 when absent or a date
    };

    explicit HttpPoster(Options options);
    ~HttpPoster();
    HttpPoster(const HttpPoster&) = delete;
    HttpPoster& operator=(const HttpPoster&) = delete;

    bool encrypted() const { return encrypted_; }
    // The URL without user information or query, for messages.
    const std::string& where() const { return where_; }

    Response post(std::string_view body, const std::string& content_type,
                  const std::map<std::string, std::string>& headers);

private:
    Poco::Net::HTTPClientSession& session();

    Options options_;
    std::string host_;
    uint16_t port_ = 0;
    std::string target_;  // path and query
    std::string where_;
    bool encrypted_ = false;
    Poco::Net::Context::Ptr context_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

}  // namespace vigil
