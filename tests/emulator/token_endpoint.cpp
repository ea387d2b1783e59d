#include "token_endpoint.hpp"

#include "crypto/base64url.hpp"
#include "crypto/certificate.hpp"
#include "crypto/client_assertion.hpp"
#include "emulator.hpp"
#include "util/rfc3339.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <sstream>

namespace vigil::emulator {

namespace {

constexpr const char* kJwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

void send_json(Poco::Net::HTTPServerResponse& response, int status, const Poco::JSON::Object& body) {
    std::ostringstream text;
    body.stringify(text);
    response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType("application/json; charset=utf-8");
    response.send() << text.str();
}

// Entra's error body: the fields a client must use are error and error_codes; error_description is for people.
void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& error, int code,
                const std::string& description) {
    std::string timestamp;
    append_rfc3339_ms(timestamp, now_ms());
    const std::string trace_id = crypto::random_uuid();
    const std::string correlation_id = crypto::random_uuid();
    Poco::JSON::Object body;
    body.set("error", error);
    body.set("error_description", "AADSTS" + std::to_string(code) + ": " + description + "\r\nTrace ID: " + trace_id +
                                      "\r\nCorrelation ID: " + correlation_id + "\r\nTimestamp: " + timestamp);
    Poco::JSON::Array codes;
    codes.add(code);
    body.set("error_codes", codes);
    body.set("timestamp", timestamp);
    body.set("trace_id", trace_id);
    body.set("correlation_id", correlation_id);
    body.set("error_uri", "https://login.microsoftonline.com/error?code=" + std::to_string(code));
    send_json(response, status, body);
}

const Application* find_application(const Tenant& tenant, const std::string& client_id) {
    for (const auto& app : tenant.applications) {
        if (app.client_id == client_id) return &app;
    }
    return nullptr;
}

// Checks a client assertion; returns an empty string when it is acceptable, else what is wrong with it.
std::string check_assertion(GraphEmulator& emulator, const Application& app, const std::string& assertion,
                            const std::string& token_url) {
    if (app.certificate_file.empty()) return "no certificate is registered for this application";
    const crypto::Certificate certificate = crypto::load_certificate(app.certificate_file);
    crypto::VerifiedJwt jwt;
    try {
        jwt = crypto::verify_jwt(assertion, certificate.get());
    } catch (const std::exception& failure) {
        return std::string("Client assertion failed signature validation: ") + failure.what();
    }
    Poco::JSON::Parser parser;
    const auto header = parser.parse(jwt.header_json).extract<Poco::JSON::Object::Ptr>();
    const auto claims = Poco::JSON::Parser().parse(jwt.payload_json).extract<Poco::JSON::Object::Ptr>();
    const std::string sha256 = crypto::base64url_encode(crypto::certificate_digest(certificate.get(), EVP_sha256()));
    const std::string sha1 = crypto::base64url_encode(crypto::certificate_digest(certificate.get(), EVP_sha1()));
    if (header->optValue<std::string>("x5t#S256", "") != sha256 && header->optValue<std::string>("x5t", "") != sha1) {
        return "the certificate thumbprint in the assertion header does not match a registered certificate";
    }
    if (claims->optValue<std::string>("aud", "") != token_url) return "the assertion audience is not " + token_url;
    if (claims->optValue<std::string>("iss", "") != app.client_id ||
        claims->optValue<std::string>("sub", "") != app.client_id) {
        return "the assertion's iss and sub must be the client id";
    }
    const int64_t now_s = now_ms() / 1000;
    if (claims->optValue<int64_t>("nbf", 0) > now_s + 300 || claims->optValue<int64_t>("exp", 0) <= now_s) {
        return "the assertion is not valid at this time (nbf/exp)";
    }
    if (!emulator.remember_assertion(claims->optValue<std::string>("jti", ""))) {
        return "the assertion's jti was already used";
    }
    return {};
}

}  // namespace

void TokenEndpoint::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
        send_error(response, 400, "invalid_request", 900561, "The endpoint only accepts POST requests.");
        return;
    }
    Poco::Net::HTMLForm form(request, request.stream());
    const Tenant* tenant = emulator_.scenario().find_tenant(tenant_);
    if (tenant == nullptr) {
        send_error(response, 400, "invalid_tenant", 90002,
                   "Tenant '" + tenant_ +
                       "' not found. Check to make sure you have the correct tenant ID and are "
                       "signing into the correct cloud.");
        return;
    }
    if (form.get("grant_type", "") != "client_credentials") {
        send_error(response, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.");
        return;
    }
    const std::string scope = form.get("scope", "");
    if (scope.size() < 9 || scope.substr(scope.size() - 9) != "/.default") {
        send_error(response, 400, "invalid_scope", 1002012,
                   "The provided value for scope " + scope +
                       " is not valid. Client credential flows must have a "
                       "scope value with /.default suffixed to the resource identifier.");
        return;
    }
    const std::string client_id = form.get("client_id", "");
    const Application* app = find_application(*tenant, client_id);
    if (app == nullptr) {
        send_error(response, 400, "unauthorized_client", 700016,
                   "Application with identifier '" + client_id + "' was not found in the directory '" + tenant->domain +
                       "'. This can happen if the application has not been installed by the administrator of the "
                       "tenant or consented to by any user in the tenant.");
        return;
    }
    if (form.has("client_secret")) {
        if (app->secret.empty() || form.get("client_secret") != app->secret) {
            send_error(response, 401, "invalid_client", 7000215,
                       "Invalid client secret provided. Ensure the secret being sent in the request is the client "
                       "secret value, not the client secret ID, for a secret added to app '" +
                           client_id + "'.");
            return;
        }
        if (app->secret_expired) {
            send_error(response, 401, "invalid_client", 7000222,
                       "The provided client secret keys for app '" + client_id + "' are expired.");
            return;
        }
    } else if (form.has("client_assertion")) {
        if (form.get("client_assertion_type", "") != kJwtBearer) {
            send_error(response, 400, "invalid_request", 7000218,
                       "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
            return;
        }
        const std::string token_url = emulator_.base_url() + "/" + tenant_ + "/oauth2/v2.0/token";
        if (const std::string problem = check_assertion(emulator_, *app, form.get("client_assertion"), token_url);
            !problem.empty()) {
            send_error(response, 401, "invalid_client", 700027, problem);
            return;
        }
    } else {
        send_error(response, 400, "invalid_request", 7000218,
                   "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
        return;
    }
    const int64_t lifetime_s = emulator_.scenario().token_lifetime_s;
    Poco::JSON::Object body;
    body.set("token_type", "Bearer");
    body.set("expires_in", lifetime_s);
    body.set("ext_expires_in", lifetime_s);
    body.set("access_token", emulator_.issue_token(tenant->id, client_id, lifetime_s));
    send_json(response, 200, body);
}

}  // namespace vigil::emulator
