#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vigil {

// One connection to a syslog receiver: UDP datagrams (RFC 5426), TCP with octet-counted framing (RFC 6587) or
// TLS (RFC 5425, the server's certificate and name verified). Connects on first use and again after any failure;
// every failure throws std::runtime_error naming the receiver and what happened. Not thread-safe: one output's.
class SyslogTransport {
public:
    enum class Kind { udp, tcp, tls };

    struct Options {
        Kind kind = Kind::tcp;
        std::string host;
        uint16_t port = 0;
        std::string ca_file;  // TLS: the CA that signs the receiver's certificate; empty: the system's
        int64_t timeout_ms = 10'000;
    };

    explicit SyslogTransport(Options options);
    ~SyslogTransport();
    SyslogTransport(const SyslogTransport&) = delete;
    SyslogTransport& operator=(const SyslogTransport&) = delete;

    // tcp://host:port, for messages.
    const std::string& receiver() const { return receiver_; }

    // TCP and TLS: writes bytes (whole octet-counted frames) completely. Reconnects first when the receiver closed
    // the connection since the last send.
    void send_stream(std::string_view bytes);
    // TCP and TLS: waits until the receiver's TCP stack has acknowledged every byte sent, then checks the connection
    // is still open. Syslog has no acknowledgement of its own; this narrows what a receiver that goes away can take
    // with it to what it had received but not yet read. Throws (and disconnects) when the timeout passes or the
    // receiver closed or reset the connection meanwhile: the caller sends the batch again.
    void confirm_stream();
    // UDP: sends one message as one datagram.
    void send_datagram(std::string_view message);
    // Forgets the connection; the next send connects again.
    void disconnect();

private:
    void connect_stream();
    bool peer_closed() const;
    [[noreturn]] void fail(const std::string& what) const;

    Options options_;
    std::string receiver_;
    Poco::Net::Context::Ptr tls_context_;
    std::unique_ptr<Poco::Net::StreamSocket> stream_;
    std::unique_ptr<Poco::Net::DatagramSocket> datagram_;
};

}  // namespace vigil
