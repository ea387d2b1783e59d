#pragma once

#include "status/status_snapshot.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace vigil {

// The agent's status endpoint (contract section 3): GET /healthz, /metrics (Prometheus text), /status (JSON). With a
// token, every request must carry "Authorization: Bearer <token>" (401 otherwise, compared in constant time). Two
// threads of its own; each request takes a fresh snapshot.
class StatusServer {
public:
    using SnapshotFn = std::function<StatusSnapshot()>;

    // Listens at once; throws std::runtime_error naming the address and what to change when it cannot.
    StatusServer(const std::string& listen, std::string token, SnapshotFn snapshot);
    ~StatusServer();  // stops and joins its threads: no request runs after it
    StatusServer(const StatusServer&) = delete;
    StatusServer& operator=(const StatusServer&) = delete;

    uint16_t port() const { return port_; }  // the bound port (listen with port 0 picks a free one)

private:
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    uint16_t port_ = 0;
};

}  // namespace vigil
