#include "outputs/syslog_transport.hpp"

#include "util/ssl_setup.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace vigil {

namespace {

const char* scheme(SyslogTransport::Kind kind) {
    switch (kind) {
        case SyslogTransport::Kind::udp:
            return "udp";
        case SyslogTransport::Kind::tcp:
            return "tcp";
        case SyslogTransport::Kind::tls:
            return "tls";
    }
    return "?";
}

Poco::Timespan timespan_of(int64_t ms) {
    return Poco::Timespan(ms * 1000);
}

}  // namespace

SyslogTransport::SyslogTransport(Options options)
    : options_(std::move(options)),
      receiver_(std::string(scheme(options_.kind)) + "://" + options_.host + ":" + std::to_string(options_.port)) {
    if (options_.kind != Kind::tls) return;
    initialize_ssl_once();
    Poco::Net::Context::Params params;
    // RELAXED on a client: verify the receiver's chain; SecureStreamSocket then checks its name against host.
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.loadDefaultCAs = options_.ca_file.empty();
    params.caLocation = options_.ca_file;
    try {
        tls_context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    } catch (const Poco::Exception& failure) {
        throw std::runtime_error("cannot use the CA file " + options_.ca_file + " (ca_file): " + failure.displayText());
    }
}

SyslogTransport::~SyslogTransport() {
    disconnect();
}

void SyslogTransport::disconnect() {
    if (stream_) {
        try {
            stream_->close();
        } catch (const Poco::Exception&) {  // closing a broken connection: nothing left to save
        }
    }
    stream_.reset();
    datagram_.reset();
}

void SyslogTransport::connect_stream() {
    disconnect();
    try {
        const Poco::Net::SocketAddress address(options_.host, options_.port);
        if (options_.kind == Kind::tls) {
            auto socket = std::make_unique<Poco::Net::SecureStreamSocket>(tls_context_);
            socket->setPeerHostName(options_.host);
            socket->connect(address, timespan_of(options_.timeout_ms));
            socket->completeHandshake();
            stream_ = std::move(socket);
        } else {
            stream_ = std::make_unique<Poco::Net::StreamSocket>();
            stream_->connect(address, timespan_of(options_.timeout_ms));
        }
        stream_->setSendTimeout(timespan_of(options_.timeout_ms));
        stream_->setNoDelay(true);
    } catch (const Poco::Exception& failure) {
        stream_.reset();
        fail("cannot connect: " + failure.displayText());
    }
}

bool SyslogTransport::peer_closed() const {
    if (options_.kind == Kind::tls) {
        // A TLS 1.3 receiver sends session tickets after the handshake: readable bytes are not a close by
        // themselves. Let OpenSSL take in what is there; only a close_notify (0) or an error is a close.
        try {
            if (!stream_->poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) return false;
            stream_->setReceiveTimeout(Poco::Timespan(1000));
            char ignored[512];
            return stream_->receiveBytes(ignored, sizeof(ignored)) <= 0;
        } catch (const Poco::TimeoutException&) {
            return false;  // only protocol records were waiting
        } catch (const Poco::Exception&) {
            return true;
        }
    }
    char byte = 0;
    const ssize_t n = ::recv(stream_->impl()->sockfd(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return true;                                    // an orderly close
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;  // a reset or another error
    return false;  // a receiver that writes something: not ours to read, and not a close
}

void SyslogTransport::send_stream(std::string_view bytes) {
    if (!stream_ || peer_closed()) connect_stream();
    try {
        while (!bytes.empty()) {
            const int sent =
                stream_->sendBytes(bytes.data(), static_cast<int>(std::min<size_t>(bytes.size(), 1 << 20)));
            if (sent <= 0) fail("the connection closed while sending");
            bytes.remove_prefix(static_cast<size_t>(sent));
        }
    } catch (const Poco::TimeoutException&) {
        disconnect();
        fail("sending timed out after " + std::to_string(options_.timeout_ms) + " ms (the receiver is not reading)");
    } catch (const Poco::Exception& failure) {
        disconnect();
        fail("cannot send: " + failure.displayText());
    }
}

void SyslogTransport::confirm_stream() {
    if (!stream_) fail("not connected");
    const int fd = stream_->impl()->sockfd();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.timeout_ms);
    for (auto pause = std::chrono::microseconds(50);; pause = std::min(pause * 2, std::chrono::microseconds(20'000))) {
        int unacknowledged = 0;
        if (::ioctl(fd, SIOCOUTQ, &unacknowledged) != 0) break;  // not Linux-like: the peer check below still runs
        if (unacknowledged == 0) break;
        if (std::chrono::steady_clock::now() >= deadline) {
            disconnect();
            fail("the receiver acknowledged nothing for " + std::to_string(options_.timeout_ms) + " ms");
        }
        std::this_thread::sleep_for(pause);
    }
    if (peer_closed()) {
        disconnect();
        fail("the receiver closed the connection before acknowledging the batch; it is sent again");
    }
}

void SyslogTransport::send_datagram(std::string_view message) {
    try {
        if (!datagram_) {
            const Poco::Net::SocketAddress address(options_.host, options_.port);
            datagram_ = std::make_unique<Poco::Net::DatagramSocket>(address.family());
            datagram_->connect(address);
        }
        datagram_->sendBytes(message.data(), static_cast<int>(message.size()));
    } catch (const Poco::Exception& failure) {
        datagram_.reset();
        fail("cannot send: " + failure.displayText());
    }
}

void SyslogTransport::fail(const std::string& what) const {
    throw std::runtime_error("syslog receiver " + receiver_ + ": " + what);
}

}  // namespace vigil
