#include "graph/token_cache.hpp"

namespace vigil::graph {

std::string TokenCache::get(const std::string& key, const Fetch& fetch, int64_t now_ms, bool force_refresh) {
    std::shared_ptr<Entry> entry;
    {
        std::lock_guard lock(mutex_);
        auto& slot = entries_[key];
        if (!slot) slot = std::make_shared<Entry>();
        entry = slot;
    }
    std::lock_guard lock(entry->mutex);  // one fetch per key at a time
    const bool fresh = !entry->token.value.empty() && entry->token.expires_at_ms - kRefreshMarginMs > now_ms;
    if (fresh && !force_refresh) return entry->token.value;
    entry->token = fetch();
    return entry->token.value;
}

}  // namespace vigil::graph
