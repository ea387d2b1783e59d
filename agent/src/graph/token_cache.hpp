#pragma once

#include "graph/token_client.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace vigil::graph {

// Access tokens per (credential, tenant, cloud), shared by every job of the process. A token is used until five
// minutes before it expires; one job fetches while others of the same key wait for it (no stampede), and jobs of
// other keys are never held up.
class TokenCache {
public:
    static constexpr int64_t kRefreshMarginMs = int64_t{5} * 60'000;

    using Fetch = std::function<AccessToken()>;
    // A usable token: the cached one, or one fetched now. force_refresh: the cached one was refused (a 401).
    std::string get(const std::string& key, const Fetch& fetch, int64_t now_ms, bool force_refresh = false);

    static std::string key_of(const std::string& credential, const std::string& tenant, const std::string& login_url) {
        return credential + '\n' + tenant + '\n' + login_url;
    }

private:
    struct Entry {
        std::mutex mutex;
        AccessToken token;
    };
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<Entry>> entries_;
};

}  // namespace vigil::graph
