#include "graph/token_client.hpp"

#include "crypto/certificate.hpp"

#include <Poco/JSON/Parser.h>

namespace vigil::graph {

namespace {

std::string form_body(const Endpoints& endpoints, const std::string& tenant, const ClientCredential& credential,
                      int64_t now_ms) {
    std::string body = "grant_type=client_credentials&client_id=" + form_escape(credential.client_id) +
                       "&scope=" + form_escape(endpoints.scope());
    if (!credential.certificate_file.empty()) {
        const crypto::Key key = crypto::load_private_key(credential.private_key_file);
        const crypto::Certificate certificate = crypto::load_certificate(credential.certificate_file);
        const crypto::AssertionClaims claims{credential.client_id, endpoints.token_url(tenant), crypto::random_uuid(),
                                             now_ms / 1000, 600};
        body += "&client_assertion_type=" + form_escape("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
                "&client_assertion=" +
                crypto::make_client_assertion(claims, key.get(), certificate.get(), credential.algorithm);
    } else {
        body += "&client_secret=" + form_escape(credential.client_secret);
    }
    return body;
}

}  // namespace

std::string advice_for(int aadsts_code, const ClientCredential& credential, const std::string& tenant) {
    const std::string who = "credential '" + credential.name + "' (client_id " + credential.client_id + ")";
    switch (aadsts_code) {
        case 7000215:
            return "the client secret of " + who +
                   " is wrong: copy the secret's Value (not its Secret ID) from the app registration's Certificates & "
                   "secrets page";
        case 7000222:
            return "the client secret of " + who +
                   " has expired: add a new secret in the app registration and update the configuration";
        case 700016:
            return "the application of " + who + " is not registered in tenant " + tenant +
                   ": check the tenant_id and client_id, and that an administrator of that tenant consented to it";
        case 90002:
            return "tenant " + tenant +
                   " does not exist in this cloud: check tenant_id, and cloud: (a national-cloud tenant is not found "
                   "in the global cloud)";
        case 900023:
            return "tenant_id " + tenant + " is neither a tenant GUID nor one of its verified domains";
        case 700027:
        case 50012:
            return "the token endpoint rejected the certificate assertion of " + who +
                   ": upload the certificate (certificate.cert) to the app registration and check that "
                   "certificate.key is its private key";
        case 7000218:
            return who + " has neither a client secret nor a certificate";
        case 7000112:
            return "the application of " + who + " is disabled in tenant " + tenant;
        default:
            return {};
    }
}

AccessToken request_token(HttpsClient& client, const Endpoints& endpoints, const std::string& tenant,
                          const ClientCredential& credential, int64_t now_ms) {
    const std::string url = endpoints.token_url(tenant);
    const HttpResponse response = client.post_form(url, form_body(endpoints, tenant, credential, now_ms));
    if (response.status == 200) {
        try {
            const auto json = Poco::JSON::Parser().parse(response.body).extract<Poco::JSON::Object::Ptr>();
            if (json->has("access_token")) {
                // expires_in is a number from the v2.0 endpoint; the v1 endpoint sends a string.
                const int64_t expires_in_s = json->get("expires_in").convert<int64_t>();
                return AccessToken{json->getValue<std::string>("access_token"), now_ms + expires_in_s * 1000};
            }
        } catch (const std::exception&) {
            // falls through to the error below
        }
    }
    throw token_error_from(response.status, response.body, credential, tenant, url);
}

TokenError token_error_from(int status, const std::string& body, const ClientCredential& credential,
                            const std::string& tenant, const std::string& url) {
    Poco::JSON::Object::Ptr json;
    try {
        json = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
        return TokenError(
            "the token endpoint " + url + " answered HTTP " + std::to_string(status) + " with a body that is not JSON",
            0, {}, status >= 500);
    }
    const std::string oauth_error = json->optValue<std::string>("error", "unknown_error");
    int code = 0;
    if (const auto codes = json->getArray("error_codes"); codes && codes->size() > 0) code = codes->getElement<int>(0);
    std::string message = advice_for(code, credential, tenant);
    if (message.empty()) {
        // No advice of ours: Microsoft's own first line. error_description is for people; decisions use error and
        // error_codes.
        std::string description = json->optValue<std::string>("error_description", "");
        description = description.substr(0, description.find_first_of("\r\n"));
        message = "the token endpoint refused " + credential.name + " for tenant " + tenant + ": " + oauth_error +
                  (description.empty() ? "" : " (" + description + ")");
    }
    if (code != 0) message = "AADSTS" + std::to_string(code) + ": " + message;
    const bool retryable =
        status >= 500 || oauth_error == "temporarily_unavailable" || code == 90055 || code == 90024 || code == 90006;
    return TokenError(message, code, oauth_error, retryable);
}

}  // namespace vigil::graph
