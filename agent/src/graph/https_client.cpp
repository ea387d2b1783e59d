#include "graph/https_client.hpp"

#include "util/ssl_setup.hpp"

#include <Poco/Exception.h>
#include <Poco/InflatingStream.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/StreamCopier.h>

#include <Poco/URI.h>
#include <openssl/ssl.h>

#include <cctype>
#include <mutex>
#include <sstream>

namespace vigil::graph {

namespace {

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

std::string escape_request_target(std::string_view target) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    static constexpr std::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=%";
    std::string out;
    out.reserve(target.size());
    for (const char c : target) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || (byte < 0x80 && kAllowed.find(c) != std::string_view::npos)) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xF]);
        }
    }
    return out;
}

std::string form_escape(const std::string& value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
    return out;
}

HttpsClient::HttpsClient(HttpsOptions options) : options_(std::move(options)) {
    initialize_ssl_once();
    Poco::Net::Context::Params params;
    // RELAXED on a client means: verify the server's chain (SSL_VERIFY_PEER); Poco then checks the host name.
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.loadDefaultCAs = true;
    params.caLocation = options_.ca_file;
    try {
        context_ = new Poco::Net::Context(Poco::Net::Context::CLIENT_USE, params);
    } catch (const Poco::Exception& failure) {
        throw TlsError("cannot use the CA file " + options_.ca_file + " (tls.ca_file): " + failure.displayText());
    }
    // Read whatever the socket has, not one TLS record header and then its body: half the syscalls for a page.
    SSL_CTX_set_read_ahead(context_->sslContext(), 1);
}

// Poco's response stream reads the body 4 kB at a time (a syscall and an SSL_read each: a tenth of the CPU of
// collecting sign-ins). The session's own read() hands over what it buffered after the header, then reads the
// socket with the caller's length.
class HttpsClient::Session : public Poco::Net::HTTPSClientSession {
public:
    using HTTPSClientSession::HTTPSClientSession;

    // Reads exactly length bytes of the body into out (appended); false when the connection ends first.
    bool read_body(std::string& out, std::streamsize length) {
        constexpr std::streamsize kMaxRead = 1 << 20;
        const size_t start = out.size();
        out.resize(start + static_cast<size_t>(length));
        std::streamsize got = 0;
        while (got < length) {
            const int n = read(out.data() + start + got, std::min(length - got, kMaxRead));
            if (n <= 0) {
                out.resize(start + static_cast<size_t>(got));
                return false;
            }
            got += n;
        }
        return true;
    }
};

HttpsClient::~HttpsClient() = default;

HttpsClient::Session& HttpsClient::session_for(const std::string& scheme, const std::string& host,
                                               unsigned short port) {
    if (scheme != "https") throw TlsError("refusing " + scheme + "://" + host + ": Vigil only talks HTTPS to Graph");
    const std::string key = host + ":" + std::to_string(port);
    auto& session = sessions_[key];
    if (!session) {
        session = std::make_unique<Session>(host, port, context_);
        session->setKeepAlive(true);
        session->setTimeout(Poco::Timespan(options_.connect_timeout.count() * 1000),
                            Poco::Timespan(options_.read_timeout.count() * 1000),
                            Poco::Timespan(options_.read_timeout.count() * 1000));
    }
    return *session;
}

HttpResponse HttpsClient::get(const std::string& url, const std::map<std::string, std::string>& headers) {
    return send(Poco::Net::HTTPRequest::HTTP_GET, url, {}, {}, headers);
}

HttpResponse HttpsClient::post_form(const std::string& url, const std::string& form_body,
                                    const std::map<std::string, std::string>& headers) {
    return send(Poco::Net::HTTPRequest::HTTP_POST, url, form_body, "application/x-www-form-urlencoded", headers);
}

HttpResponse HttpsClient::send(const std::string& method, const std::string& url, const std::string& body,
                               const std::string& content_type, const std::map<std::string, std::string>& headers) {
    const Poco::URI uri(url);
    Session& session = session_for(uri.getScheme(), uri.getHost(), uri.getPort());
    Poco::Net::HTTPRequest request(method, escape_request_target(uri.getPathEtc()), Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept-Encoding", "gzip");
    request.set("User-Agent", "Vigil/0.1");
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!content_type.empty()) request.setContentType(content_type);
    if (!body.empty() || method == Poco::Net::HTTPRequest::HTTP_POST) request.setContentLength64(body.size());
    const std::string where = uri.getHost() + ":" + std::to_string(uri.getPort());
    try {
        std::ostream& out = session.sendRequest(request);
        out << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        HttpResponse result;
        result.status = static_cast<int>(response.getStatus());
        for (const auto& [name, value] : response) result.headers[lower(name)] = value;
        const bool gzip = lower(response.get("Content-Encoding", "")) == "gzip";
        if (response.hasContentLength() && !response.getChunkedTransferEncoding() && !gzip) {
            // The usual page: read straight into the body, in large reads.
            if (!session.read_body(result.body, response.getContentLength64())) {
                throw Poco::Net::NetException("the connection ended " + std::to_string(result.body.size()) +
                                              " bytes into a body of " + std::to_string(response.getContentLength64()));
            }
            return result;
        }
        std::ostringstream content;
        if (gzip) {
            Poco::InflatingInputStream inflater(in, Poco::InflatingStreamBuf::STREAM_GZIP);
            Poco::StreamCopier::copyStream(inflater, content);
        } else {
            Poco::StreamCopier::copyStream(in, content);
        }
        result.body = content.str();
        return result;
    } catch (const Poco::Net::SSLException& failure) {
        session.reset();
        // A server (or a proxy) that drops the connection mid-exchange: OpenSSL 3 reports the missing close_notify
        // as an SSL error, but it is the network's fault, not the certificates', and worth another attempt.
        if (dynamic_cast<const Poco::Net::SSLConnectionUnexpectedlyClosedException*>(&failure) != nullptr ||
            failure.displayText().find("unexpected eof") != std::string::npos) {
            throw TransportError("the connection to " + where + " ended unexpectedly: " + failure.displayText());
        }
        throw TlsError("TLS with " + where + " failed: " + failure.displayText() +
                       (options_.ca_file.empty() ? std::string("; if the server uses a private CA, set tls.ca_file")
                                                 : "; the CA file in use is " + options_.ca_file));
    } catch (const Poco::TimeoutException& failure) {
        session.reset();
        throw TransportError("timed out talking to " + where + ": " + failure.displayText());
    } catch (const Poco::Exception& failure) {
        session.reset();
        throw TransportError("connection to " + where + " failed: " + failure.displayText());
    }
}

}  // namespace vigil::graph
