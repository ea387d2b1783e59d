#include "outputs/syslog_output.hpp"

#include "outputs/event_format.hpp"
#include "outputs/record_fields.hpp"
#include "outputs/syslog_message.hpp"
#include "outputs/syslog_transport.hpp"

#include <vigil/plugin.hpp>

#include <unistd.h>

#include <charconv>
#include <stdexcept>
#include <string>

namespace vigil {

namespace {

constexpr size_t kMaxHostname = 255;
constexpr size_t kMaxAppName = 48;
constexpr size_t kStreamChunkBytes = 1 << 20;  // frames go to the socket about a MiB at a time

SyslogTransport::Kind transport_kind(const std::string& name) {
    if (name == "udp") return SyslogTransport::Kind::udp;
    if (name == "tcp") return SyslogTransport::Kind::tcp;
    if (name == "tls") return SyslogTransport::Kind::tls;
    throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT, "transport: '" + name + "' is not udp, tcp or tls");
}

// json: the event record; ocsf and ecs: the record mapped to that schema, as JSON; cef: a CEF line.
std::pair<SyslogMessageFormat::Body, EventFormat> body_format(const std::string& name) {
    if (name == "json") return {SyslogMessageFormat::Body::json, EventFormat::native};
    if (name == "ocsf") return {SyslogMessageFormat::Body::json, EventFormat::ocsf};
    if (name == "ecs") return {SyslogMessageFormat::Body::json, EventFormat::ecs};
    if (name == "cef") return {SyslogMessageFormat::Body::cef, EventFormat::native};
    throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT, "format: '" + name + "' is not json, cef, ocsf or ecs");
}

// "host:port" or "[v6 address]:port".
std::pair<std::string, uint16_t> split_address(const std::string& address) {
    const auto colon = address.rfind(':');
    std::string host = colon == std::string::npos ? "" : address.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    const char* begin = address.data() + (colon == std::string::npos ? address.size() : colon + 1);
    const char* end = address.data() + address.size();
    const auto [last, error] = std::from_chars(begin, end, port);
    if (host.empty() || error != std::errc() || last != end || port == 0 || port > 65535)
        throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                         "address: '" + address + "' is not host:port (syslog.example.com:6514, [::1]:514)");
    return {host, static_cast<uint16_t>(port)};
}

std::string system_hostname() {
    char name[256] = {};
    if (::gethostname(name, sizeof(name) - 1) != 0) return "-";
    return name;
}

SyslogTransport::Options transport_options(const sdk::Config& config) {
    SyslogTransport::Options options;
    options.kind = transport_kind(config.get_string("transport"));
    std::tie(options.host, options.port) = split_address(config.get_string("address"));
    options.ca_file = config.get_string("ca_file");
    options.timeout_ms = config.get_int("timeout");
    if (!options.ca_file.empty() && options.kind != SyslogTransport::Kind::tls)
        throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT, "ca_file applies only to transport: tls");
    return options;
}

class SyslogOutput {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_OUTPUT;
    static constexpr const char* name = "syslog";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Sends each event as an RFC 5424 syslog message (UDP, TCP or TLS)";
    static constexpr vigil_config_key config_keys[] = {
        sdk::key("address", VIGIL_VALUE_STRING, nullptr, "the receiver, host:port", true),
        sdk::key("transport", VIGIL_VALUE_STRING, "tcp", "udp, tcp (octet-counted framing) or tls"),
        sdk::key("format", VIGIL_VALUE_STRING, "json",
                 "the message body: json (the event record), ocsf or ecs (mapped to that schema) or cef"),
        sdk::key("facility", VIGIL_VALUE_STRING, "local0", "a syslog facility name (local0..local7, auth...) or 0..23"),
        sdk::key("app_name", VIGIL_VALUE_STRING, "vigil", "the APP-NAME of every message"),
        sdk::key("hostname", VIGIL_VALUE_STRING, "", "the HOSTNAME of every message (default: this machine's)"),
        sdk::key("ca_file", VIGIL_VALUE_PATH, "",
                 "tls: the CA that signs the receiver's certificate (default: the system's)"),
        sdk::key("timeout", VIGIL_VALUE_DURATION, "10s", "connecting, and a receiver that stops reading", false, 100,
                 600'000),
        sdk::key("max_message_bytes", VIGIL_VALUE_INT, "65000",
                 "udp: longer messages are cut to this size and counted in the log", false, 480, 65'000),
    };

    SyslogOutput(sdk::Host host, const sdk::Config& config)
        : host_(host), transport_(transport_options(config)), max_message_bytes_(config.get_int("max_message_bytes")) {
        std::tie(format_.body, event_format_) = body_format(config.get_string("format"));
        format_.facility = syslog_facility(config.get_string("facility"));
        if (format_.facility < 0)
            throw sdk::Error(VIGIL_ERR_INVALID_ARGUMENT,
                             "facility: '" + config.get_string("facility") +
                                 "' is not a syslog facility (local0..local7, auth, 0..23)");
        const std::string hostname = config.get_string("hostname");
        format_.hostname = syslog_header_field(hostname.empty() ? system_hostname() : hostname, kMaxHostname);
        format_.app_name = syslog_header_field(config.get_string("app_name"), kMaxAppName);
        format_.process_id = std::to_string(::getpid());
        format_.product_version = version;
    }

    void open(std::string_view /*resume_token*/) {
        // Connecting waits for the first write: a receiver that is down when the agent starts must not stop it.
        transport_.disconnect();
    }

    vigil_status write(std::span<const vigil_record* const> records) {
        const bool datagrams = transport_.receiver().starts_with("udp:");
        size_t cut = 0;
        buffer_.clear();
        for (const vigil_record* record : records) {
            const std::string_view json(record->json.data, record->json.size);
            read_record_fields(reader_, *record, event_, reason_);
            std::string_view body = json;
            if (event_format_ != EventFormat::native) {
                formatted_.clear();
                formatter_.append(formatted_, event_format_, event_, json);
                body = formatted_;
            }
            if (datagrams) {
                message_.clear();
                append_syslog_message(message_, format_, event_, body);
                if (message_.size() > static_cast<size_t>(max_message_bytes_)) {
                    message_.resize(static_cast<size_t>(max_message_bytes_));
                    ++cut;
                }
                send([&] { transport_.send_datagram(message_); });
                continue;
            }
            // Octet counting: "LENGTH SP MESSAGE". The length is written once the message is, in front of it.
            const size_t start = buffer_.size();
            append_syslog_message(buffer_, format_, event_, body);
            const std::string length = std::to_string(buffer_.size() - start) + " ";
            buffer_.insert(start, length);
            if (buffer_.size() >= kStreamChunkBytes) flush();
        }
        if (!datagrams) {
            flush();
            send([&] { transport_.confirm_stream(); });
        }
        if (cut > 0)
            host_.warn(std::to_string(cut) + " messages longer than max_message_bytes (" +
                       std::to_string(max_message_bytes_) +
                       ") were cut to fit a datagram; use tcp or tls to keep them whole");
        return VIGIL_OK;
    }

private:
    void flush() {
        send([&] { transport_.send_stream(buffer_); });
        buffer_.clear();
    }
    template <class Send>
    void send(Send&& send_once) {
        try {
            send_once();
        } catch (const std::runtime_error& failure) {
            throw sdk::Error(VIGIL_ERR_UNAVAILABLE, failure.what());
        }
    }

    sdk::Host host_;
    SyslogTransport transport_;
    int64_t max_message_bytes_;
    SyslogMessageFormat format_;
    EventFormat event_format_ = EventFormat::native;
    EventFormatter formatter_;
    std::string formatted_;  // one event in ocsf or ecs, reused
    EventRecordReader reader_;
    StoredEventView event_;
    std::string reason_;
    std::string buffer_;   // frames of the batch, reused
    std::string message_;  // one datagram, reused
};

}  // namespace

const vigil_plugin_descriptor* syslog_output_descriptor() {
    return sdk::describe<SyslogOutput>();
}

}  // namespace vigil
