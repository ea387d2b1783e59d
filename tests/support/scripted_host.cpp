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

namespace {
std::string text(vigil_str value) {
    return value.data == nullptr ? std::string() : std::string(value.data, value.size);
}
}  // namespace

vigil_status ScriptedHost::state_begin(const vigil_state_snapshot* snapshot) {
    if (open_) return VIGIL_ERR_INVALID_ARGUMENT;
    open_ = true;
    seen_.clear();
    state_where = text(snapshot->where);
    state_calls.push_back("begin");
    return VIGIL_OK;
}

vigil_status ScriptedHost::state_put(const vigil_state_object* object) {
    if (!open_) return VIGIL_ERR_INVALID_ARGUMENT;
    const std::string kind = text(object->kind);
    const std::string id = text(object->id);
    state[kind][id] = StoredObject{text(object->object_type), text(object->name), text(object->json)};
    seen_[kind].insert(id);
    state_calls.push_back("put " + kind + "/" + id);
    return VIGIL_OK;
}

vigil_status ScriptedHost::state_remove(vigil_str kind, vigil_str id) {
    if (!open_) return VIGIL_ERR_INVALID_ARGUMENT;
    state[text(kind)].erase(text(id));
    state_calls.push_back("remove " + text(kind) + "/" + text(id));
    return VIGIL_OK;
}

vigil_status ScriptedHost::state_complete_kind(vigil_str kind) {
    if (!open_) return VIGIL_ERR_INVALID_ARGUMENT;
    auto& objects = state[text(kind)];
    for (auto it = objects.begin(); it != objects.end();) {
        it = seen_[text(kind)].count(it->first) ? std::next(it) : objects.erase(it);
    }
    state_calls.push_back("complete " + text(kind));
    return VIGIL_OK;
}

vigil_status ScriptedHost::state_finish(vigil_str finished_cursor) {
    if (!open_) return VIGIL_ERR_INVALID_ARGUMENT;
    open_ = false;
    cursor = text(finished_cursor);
    state_calls.push_back("finish");
    return VIGIL_OK;
}

vigil_status ScriptedHost::state_cursor(vigil_str* out) {
    *out = vigil_str{cursor.data(), cursor.size()};
    return VIGIL_OK;
}

vigil_status ScriptedHost::state_read(vigil_str kind, vigil_state_object_fn fn, void* user_data) {
    const std::string name = text(kind);
    for (const auto& [id, object] : state[name]) {
        const vigil_state_object out{sizeof(vigil_state_object),
                                     vigil_str{name.data(), name.size()},
                                     vigil_str{id.data(), id.size()},
                                     vigil_str{object.object_type.data(), object.object_type.size()},
                                     vigil_str{object.name.data(), object.name.size()},
                                     vigil_str{object.json.data(), object.json.size()}};
        if (fn(user_data, &out) == 0) break;
    }
    return VIGIL_OK;
}

std::vector<std::string> ScriptedHost::state_ids(const std::string& kind) const {
    std::vector<std::string> ids;
    const auto it = state.find(kind);
    if (it != state.end()) {
        for (const auto& [id, object] : it->second) ids.push_back(id);
    }
    return ids;
}

bool ScriptedHost::logged_containing(const std::string& text) const {
    for (const std::string& line : logged) {
        if (line.find(text) != std::string::npos) return true;
    }
    return false;
}

}  // namespace vigil::test
