#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace vigil::test {

// An HTTP(S) receiver on loopback for the http output's tests: it records every request (its body decompressed),
// fails on demand (a status, optionally with Retry-After), and in bulk mode behaves like Elasticsearch's _bulk API
// (documents kept by _id: 201 when new, 409 when already there; chosen ids refused with 400 or throttled once with
// 429). It can be stopped and started again on the same port.
class HttpReceiver {
public:
    struct Request {
        std::string path;
        std::map<std::string, std::string> headers;  // names in lower case
        std::string body;                            // decompressed
        size_t wire_bytes = 0;                       // as sent
        int status = 0;                              // what the receiver answered
    };

    explicit HttpReceiver(const std::string& tls_dir = "");  // HTTPS with its own CA when tls_dir is given
    ~HttpReceiver();
    HttpReceiver(const HttpReceiver&) = delete;
    HttpReceiver& operator=(const HttpReceiver&) = delete;

    void start();
    void stop();

    uint16_t port() const { return port_; }
    std::string url(const std::string& path) const;
    const std::string& ca_file() const { return ca_file_; }

    // The next count requests are answered status (with Retry-After when retry_after_s >= 0).
    void fail_next(int count, int status, int retry_after_s = -1);
    void bulk_mode() { bulk_ = true; }
    void refuse_id(const std::string& id) { refused_.insert(id); }
    void throttle_once(const std::string& id) { throttled_.insert(id); }

    std::vector<Request> requests() const;
    // The event ids the receiver accepted, in order (bulk: documents created; otherwise every record of a 2xx).
    std::vector<std::string> accepted_ids() const;

    // Handles one request (called by the server's threads).
    void handle(Request request, int& status, std::string& response_body, int& retry_after_s);

private:
    std::string tls_dir_;
    std::string ca_file_;
    uint16_t port_ = 0;
    // Its own threads, joined on stop: the default pool's outlive the test and race Poco's static teardown.
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    bool bulk_ = false;
    std::set<std::string> refused_;
    std::set<std::string> throttled_;

    mutable std::mutex mutex_;
    int fail_count_ = 0;
    int fail_status_ = 0;
    int fail_retry_after_s_ = -1;
    std::vector<Request> requests_;
    std::vector<std::string> accepted_;
    std::set<std::string> documents_;
};

// The values of every "id":"..." in text, in order (records carry their id first; _bulk's "_id" is not matched).
std::vector<std::string> record_ids(const std::string& text);

}  // namespace vigil::test
