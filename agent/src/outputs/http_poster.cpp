#include "outputs/http_poster.hpp"

#include "util/ssl_setup.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <charconv>
#include <sstream>
#include <stdexcept>

namespace vigil {

HttpPoster::HttpPoster(Options options) : options_(std::move(options)) {
    Poco::URI uri;
    try {
        uri = Poco::URI(options_.url);
    } catch (const Poco::Exception& failure) {
        throw std::invalid_argument("url: '" + options_.url + "' is not a URL: " + failure.displayText());
    }
    if (uri.getScheme() != "https" && uri.getScheme() != "http")
        throw std::invalid_argument("url: '" + options_.url + "' must start with https:// (or http://)");
    if (uri.getHost().empty()) throw std::invalid_argument("url: '" + options_.url + "' names no host");
    if (!uri.getUserInfo().empty())
        throw std::invalid_argument("url: put credentials in token, not in the URL (it is written in logs)");
    encrypted_ = uri.getScheme() == "https";
    host_ = uri.getHost();
    port_ = uri.getPort();
    target_ = uri.getPathEtc().empty() ? "/" : uri.getPathEtc();
    where_ = uri.getScheme() + "://" + host_ + ":" + std::to_string(port_) + uri.getPath();
    if (!encrypted_ && !options_.ca_file.empty())
        throw std::invalid_argument("ca_file applies only to an https:// url");
    if (!encrypted_) return;
    initialize_ssl_once();
    Poco::Net::Context::Params params;
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;  // the chain, then the host name
    params.loadDefaultCAs = true;
    params.caLocation = options_.ca_file;
    try {
        context_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    } catch (const Poco::Exception& failure) {
        throw std::invalid_argument("cannot use the CA file " + options_.ca_file +
                                    " (ca_file): " + failure.displayText());
    }
}

HttpPoster::~HttpPoster() = default;

Poco::Net::HTTPClientSession& HttpPoster::session() {
    if (!session_) {
        if (encrypted_) {
            session_ = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, context_);
        } else {
            session_ = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
        }
        session_->setKeepAlive(true);
        const Poco::Timespan timeout(options_.timeout_ms * 1000);
        session_->setTimeout(timeout, timeout, timeout);
    }
    return *session_;
}

HttpPoster::Response HttpPoster::post(std::string_view body, const std::string& content_type,
                                      const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target_, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("User-Agent", "Vigil/0.1");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.setContentType(content_type);
    request.setContentLength64(static_cast<Poco::UInt64>(body.size()));
    try {
        Poco::Net::HTTPClientSession& connection = session();
        std::ostream& out = connection.sendRequest(request);
        out.write(body.data(), static_cast<std::streamsize>(body.size()));
        Poco::Net::HTTPResponse response;
        std::istream& in = connection.receiveResponse(response);
        Response result;
        result.status = static_cast<int>(response.getStatus());
        std::ostringstream content;
        Poco::StreamCopier::copyStream(in, content);
        result.body = content.str();
        const std::string retry_after = response.get("Retry-After", "");
        int64_t seconds = 0;
        const auto [end, error] = std::from_chars(retry_after.data(), retry_after.data() + retry_after.size(), seconds);
        if (!retry_after.empty() && error == std::errc() && end == retry_after.data() + retry_after.size())
            result.retry_after_s = seconds;
        return result;
    } catch (const Poco::Exception& failure) {
        session_.reset();
        throw std::runtime_error("POST " + where_ + " failed: " + failure.displayText());
    }
}

}  // namespace vigil
