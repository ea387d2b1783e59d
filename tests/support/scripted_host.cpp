#include "support/scripted_host.hpp"

#include <cstdio>

namespace vigil::test {

vigil_status ScriptedHost::emit(const vigil_event* event) {
    const std::string id(event->id.data, event->id.size);
    for (const auto& [refused_id, status] : refusals_) {
        if (refused_id == id) return status;
    }
    emitted_ids.push_back(id);
    emitted_wheres.emplace_back(event->where.data ? event->where.data : "", event->where.size);
    return VIGIL_OK;
}

vigil_status ScriptedHost::commit(vigil_str checkpoint) {
    commits.emplace_back(checkpoint.data ? checkpoint.data : "", checkpoint.size);
    if (checkpoint.size > 0) stored_checkpoint = commits.back();
    return VIGIL_OK;
}

vigil_status ScriptedHost::graph_get(const char* path_or_url, vigil_graph_page_fn on_page, void* user_data, char* error,
                                     size_t error_capacity) {
    const std::string path = path_or_url;
    requests.push_back(path);
    for (auto it = answers_.begin(); it != answers_.end(); ++it) {
        if (path.rfind(it->prefix, 0) != 0) continue;
        const Answer answer = std::move(it->answer);
        answers_.erase(it);
        for (const std::string& page : answer.pages) {
            if (on_page(user_data, vigil_str{page.data(), page.size()}) == 0) return VIGIL_OK;  // the plugin stopped
        }
        if (answer.status != VIGIL_OK) std::snprintf(error, error_capacity, "%s", answer.error.c_str());
        return answer.status;
    }
    std::snprintf(error, error_capacity, "no answer scripted for %s", path.c_str());
    return VIGIL_ERR_UNAVAILABLE;
}

bool ScriptedHost::logged_containing(const std::string& text) const {
    for (const std::string& line : logged) {
        if (line.find(text) != std::string::npos) return true;
    }
    return false;
}

}  // namespace vigil::test
