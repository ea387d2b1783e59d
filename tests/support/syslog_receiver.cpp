#include "support/syslog_receiver.hpp"

#include "emulator.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/DatagramSocket.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <stdexcept>

namespace vigil::test {

namespace {
const Poco::Timespan kPoll(0, 100'000);  // 100 ms: how soon stop() is noticed
}

SyslogReceiver::SyslogReceiver(Kind kind, const std::string& tls_dir) : kind_(kind), tls_dir_(tls_dir) {
    if (kind_ == Kind::tls) ca_file_ = emulator::make_tls_material(tls_dir_);
}

SyslogReceiver::~SyslogReceiver() {
    stop();
}

void SyslogReceiver::start() {
    stopping_ = false;
    const Poco::Net::SocketAddress address("127.0.0.1", port_);
    if (kind_ == Kind::udp) {
        auto socket = std::make_unique<Poco::Net::DatagramSocket>();
        socket->bind(address, true);
        listener_ = std::move(socket);
        thread_ = std::thread([this] { read_datagrams(); });
    } else {
        std::unique_ptr<Poco::Net::ServerSocket> socket;
        if (kind_ == Kind::tls) {
            Poco::Net::Context::Ptr context =
                new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, tls_dir_ + "/server.key",
                                       tls_dir_ + "/server.pem", "", Poco::Net::Context::VERIFY_NONE);
            socket = std::make_unique<Poco::Net::SecureServerSocket>(context);
        } else {
            socket = std::make_unique<Poco::Net::ServerSocket>();
        }
        socket->bind(address, true);
        socket->listen();
        listener_ = std::move(socket);
        thread_ = std::thread([this] { accept_loop(); });
    }
    port_ = listener_->address().port();
}

void SyslogReceiver::stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    thread_.join();
    listener_->close();  // refused from now on
    listener_.reset();
    std::vector<std::thread> readers;
    {
        std::lock_guard lock(mutex_);
        readers.swap(readers_);
    }
    for (auto& reader : readers) reader.join();
    std::lock_guard lock(mutex_);
    for (auto& connection : open_) connection->close();
    open_.clear();
}

void SyslogReceiver::accept_loop() {
    auto& server = static_cast<Poco::Net::ServerSocket&>(*listener_);
    for (;;) {
        // Stopping is graceful: connections the kernel already completed are taken and read too.
        const bool stopping = stopping_;
        if (!server.poll(stopping ? Poco::Timespan(0) : kPoll, Poco::Net::Socket::SELECT_READ)) {
            if (stopping) return;
            continue;
        }
        std::shared_ptr<Poco::Net::Socket> connection;
        try {
            connection = std::make_shared<Poco::Net::StreamSocket>(server.acceptConnection());
        } catch (const Poco::Exception&) {  // a client that failed the TLS handshake
            continue;
        }
        ++connections_;
        std::lock_guard lock(mutex_);
        open_.push_back(connection);
        readers_.emplace_back([this, connection] { read_frames(connection); });
    }
}

void SyslogReceiver::read_frames(std::shared_ptr<Poco::Net::Socket> connection) {
    auto& stream = static_cast<Poco::Net::StreamSocket&>(*connection);
    std::string pending;
    char buffer[65536];
    // Stopping is graceful, like a receiver that is restarted: what was sent before stop() is read first (until
    // the connection is quiet for a poll, at most two seconds), then the connection is closed.
    std::chrono::steady_clock::time_point give_up = std::chrono::steady_clock::time_point::max();
    for (;;) {
        int n = 0;
        try {
            if (!stream.poll(kPoll, Poco::Net::Socket::SELECT_READ)) {
                if (stopping_) return;
                continue;
            }
            if (stopping_ && give_up == std::chrono::steady_clock::time_point::max())
                give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
            if (std::chrono::steady_clock::now() > give_up) return;
            n = stream.receiveBytes(buffer, sizeof(buffer));
        } catch (const Poco::Exception&) {
            return;
        }
        if (n <= 0) return;
        pending.append(buffer, static_cast<size_t>(n));
        for (;;) {  // every whole "LENGTH SP MESSAGE" frame
            const auto space = pending.find(' ');
            if (space == std::string::npos) break;
            size_t length = 0;
            try {
                length = std::stoul(pending.substr(0, space));
            } catch (const std::exception&) {
                std::lock_guard lock(mutex_);
                framing_error_ = pending.substr(0, 80);
                return;
            }
            if (pending.size() < space + 1 + length) break;
            add(pending.substr(space + 1, length));
            pending.erase(0, space + 1 + length);
        }
    }
}

void SyslogReceiver::read_datagrams() {
    auto& socket = static_cast<Poco::Net::DatagramSocket&>(*listener_);
    std::vector<char> buffer(65536);
    while (!stopping_) {
        if (!socket.poll(kPoll, Poco::Net::Socket::SELECT_READ)) continue;
        const int n = socket.receiveBytes(buffer.data(), static_cast<int>(buffer.size()));
        if (n > 0) add(std::string(buffer.data(), static_cast<size_t>(n)));
    }
}

void SyslogReceiver::add(std::string message) {
    std::lock_guard lock(mutex_);
    messages_.push_back(std::move(message));
    arrived_.notify_all();
}

std::vector<std::string> SyslogReceiver::messages() const {
    std::lock_guard lock(mutex_);
    return messages_;
}

bool SyslogReceiver::wait_for(size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
}

std::string SyslogReceiver::framing_error() const {
    std::lock_guard lock(mutex_);
    return framing_error_;
}

}  // namespace vigil::test
