#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace Poco::Net {
class Socket;
}

namespace vigil::test {

// A syslog receiver on loopback for tests: UDP (one message per datagram), TCP or TLS (octet-counted frames,
// RFC 6587 / 5425; TLS with a certificate for localhost signed by its own CA). It can be stopped and started again
// on the same port, to play a receiver that is down for a while.
class SyslogReceiver {
public:
    enum class Kind { udp, tcp, tls };

    // tls_dir: where the TLS material is written (TLS only).
    explicit SyslogReceiver(Kind kind, const std::string& tls_dir = "");
    ~SyslogReceiver();
    SyslogReceiver(const SyslogReceiver&) = delete;
    SyslogReceiver& operator=(const SyslogReceiver&) = delete;

    // Listens (on the port of the first start). stop() closes the listener and every connection.
    void start();
    void stop();

    uint16_t port() const { return port_; }
    const std::string& ca_file() const { return ca_file_; }
    std::vector<std::string> messages() const;
    size_t connections() const { return connections_.load(); }
    // Waits until at least count messages arrived; false at the timeout.
    bool wait_for(size_t count, std::chrono::milliseconds timeout) const;
    // A frame that broke the octet-counting grammar, or "" (the receiver then drops that connection).
    std::string framing_error() const;

private:
    void accept_loop();
    void read_frames(std::shared_ptr<Poco::Net::Socket> connection);
    void read_datagrams();
    void add(std::string message);

    Kind kind_;
    std::string ca_file_;
    std::string tls_dir_;
    uint16_t port_ = 0;
    std::unique_ptr<Poco::Net::Socket> listener_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    std::atomic<size_t> connections_{0};

    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::vector<std::string> messages_;
    std::string framing_error_;
    std::vector<std::shared_ptr<Poco::Net::Socket>> open_;
    std::vector<std::thread> readers_;
};

}  // namespace vigil::test
