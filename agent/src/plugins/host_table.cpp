#include "plugins/host_context.hpp"

#include "config/plugin_settings.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>
#include <variant>

// Defaults for services a kind of plugin does not have (an output emitting, say).
vigil_status vigil_host_ctx::read_secret(const char*, char*, size_t, size_t*) {
    return VIGIL_ERR_NOT_FOUND;
}
vigil_status vigil_host_ctx::emit(const vigil_event*) {
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::commit(vigil_str) {
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::checkpoint(vigil_str* out) {
    *out = vigil_str{nullptr, 0};
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::set_resume_token(vigil_str) {
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::graph_get(const char*, vigil_graph_page_fn, void*, char* error, size_t capacity) {
    if (error != nullptr && capacity > 0) std::snprintf(error, capacity, "Graph access is for connectors");
    return VIGIL_ERR_INVALID_ARGUMENT;
}

vigil_status vigil_host_ctx::state_begin(const vigil_state_snapshot*) {
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::state_put(const vigil_state_object*) {
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::state_remove(vigil_str, vigil_str) {
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::state_complete_kind(vigil_str) {
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::state_finish(vigil_str) {
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::state_cursor(vigil_str* out) {
    *out = vigil_str{nullptr, 0};
    return VIGIL_ERR_INVALID_ARGUMENT;
}
vigil_status vigil_host_ctx::state_read(vigil_str, vigil_state_object_fn, void*) {
    return VIGIL_ERR_INVALID_ARGUMENT;
}

namespace vigil {

namespace {

template <class Body>
vigil_status guarded(const char* what, Body&& body) noexcept {
    try {
        return body();
    } catch (const std::exception& failure) {
        spdlog::error("host service {} failed: {}", what, failure.what());
        return VIGIL_ERR_INTERNAL;
    } catch (...) {
        spdlog::error("host service {} failed with an unknown exception", what);
        return VIGIL_ERR_INTERNAL;
    }
}

void host_log(vigil_host_ctx* ctx, vigil_log_level level, const char* message) {
    if (ctx == nullptr || message == nullptr) return;
    guarded("log", [&] {
        ctx->log(level, message);
        return VIGIL_OK;
    });
}

int64_t host_now_ms(vigil_host_ctx* ctx) {
    return ctx->now_ms();
}

int host_is_cancelled(vigil_host_ctx* ctx) {
    return ctx->cancelled() ? 1 : 0;
}

vigil_status host_read_secret(vigil_host_ctx* ctx, const char* name, char* buffer, size_t capacity, size_t* out_size) {
    if (name == nullptr || out_size == nullptr) return VIGIL_ERR_INVALID_ARGUMENT;
    return guarded("read_secret", [&] { return ctx->read_secret(name, buffer, capacity, out_size); });
}

vigil_status host_emit(vigil_host_ctx* ctx, const vigil_event* event) {
    if (event == nullptr || event->struct_size < sizeof(vigil_event)) return VIGIL_ERR_INVALID_ARGUMENT;
    return guarded("emit", [&] { return ctx->emit(event); });
}

vigil_status host_commit(vigil_host_ctx* ctx, vigil_str checkpoint) {
    return guarded("commit", [&] { return ctx->commit(checkpoint); });
}

vigil_status host_checkpoint(vigil_host_ctx* ctx, vigil_str* out) {
    if (out == nullptr) return VIGIL_ERR_INVALID_ARGUMENT;
    return guarded("checkpoint", [&] { return ctx->checkpoint(out); });
}

vigil_status host_set_resume_token(vigil_host_ctx* ctx, vigil_str token) {
    return guarded("set_resume_token", [&] { return ctx->set_resume_token(token); });
}

vigil_status host_graph_get(vigil_host_ctx* ctx, const char* path_or_url, vigil_graph_page_fn on_page, void* user_data,
                            char* error, size_t error_capacity) {
    if (path_or_url == nullptr || on_page == nullptr) return VIGIL_ERR_INVALID_ARGUMENT;
    return guarded("graph_get", [&] { return ctx->graph_get(path_or_url, on_page, user_data, error, error_capacity); });
}

vigil_status host_state_begin(vigil_host_ctx* ctx, const vigil_state_snapshot* snapshot) {
    if (snapshot == nullptr || snapshot->struct_size < sizeof(vigil_state_snapshot)) return VIGIL_ERR_INVALID_ARGUMENT;
    return guarded("state_begin", [&] { return ctx->state_begin(snapshot); });
}

vigil_status host_state_put(vigil_host_ctx* ctx, const vigil_state_object* object) {
    if (object == nullptr || object->struct_size < sizeof(vigil_state_object)) return VIGIL_ERR_INVALID_ARGUMENT;
    return guarded("state_put", [&] { return ctx->state_put(object); });
}

vigil_status host_state_remove(vigil_host_ctx* ctx, vigil_str kind, vigil_str id) {
    return guarded("state_remove", [&] { return ctx->state_remove(kind, id); });
}

vigil_status host_state_complete_kind(vigil_host_ctx* ctx, vigil_str kind) {
    return guarded("state_complete_kind", [&] { return ctx->state_complete_kind(kind); });
}

vigil_status host_state_finish(vigil_host_ctx* ctx, vigil_str cursor) {
    return guarded("state_finish", [&] { return ctx->state_finish(cursor); });
}

vigil_status host_state_cursor(vigil_host_ctx* ctx, vigil_str* out) {
    if (out == nullptr) return VIGIL_ERR_INVALID_ARGUMENT;
    return guarded("state_cursor", [&] { return ctx->state_cursor(out); });
}

vigil_status host_state_read(vigil_host_ctx* ctx, vigil_str kind, vigil_state_object_fn fn, void* user_data) {
    if (fn == nullptr) return VIGIL_ERR_INVALID_ARGUMENT;
    return guarded("state_read", [&] { return ctx->state_read(kind, fn, user_data); });
}

const PluginSettings::Value* lookup(const vigil_config* config, const char* key) {
    if (config == nullptr || key == nullptr) return nullptr;
    const PluginSettings::Value* value = config->settings.find(key);
    if (value == nullptr) spdlog::warn("a plugin read configuration key '{}' that its schema does not declare", key);
    return value;
}

int config_bool(const vigil_config* config, const char* key) {
    const auto* value = lookup(config, key);
    const bool* flag = value ? std::get_if<bool>(value) : nullptr;
    return flag != nullptr && *flag ? 1 : 0;
}

int64_t config_int(const vigil_config* config, const char* key) {
    const auto* value = lookup(config, key);
    const int64_t* number = value ? std::get_if<int64_t>(value) : nullptr;
    return number ? *number : 0;
}

const char* config_string(const vigil_config* config, const char* key) {
    const auto* value = lookup(config, key);
    const std::string* text = value ? std::get_if<std::string>(value) : nullptr;
    return text ? text->c_str() : "";
}

size_t config_list_size(const vigil_config* config, const char* key) {
    const auto* value = lookup(config, key);
    const auto* list = value ? std::get_if<std::vector<std::string>>(value) : nullptr;
    return list ? list->size() : 0;
}

const char* config_list_item(const vigil_config* config, const char* key, size_t index) {
    const auto* value = lookup(config, key);
    const auto* list = value ? std::get_if<std::vector<std::string>>(value) : nullptr;
    return list && index < list->size() ? (*list)[index].c_str() : "";
}

const vigil_host kHostTable{
    sizeof(vigil_host),
    VIGIL_ABI_MAJOR,
    VIGIL_ABI_MINOR,
    host_log,
    host_now_ms,
    host_is_cancelled,
    host_read_secret,
    host_emit,
    host_commit,
    host_checkpoint,
    config_bool,
    config_int,
    config_string,
    config_list_size,
    config_list_item,
    host_set_resume_token,
    host_graph_get,
    host_state_begin,
    host_state_put,
    host_state_remove,
    host_state_complete_kind,
    host_state_finish,
    host_state_cursor,
    host_state_read,
};

}  // namespace

const vigil_host* host_table() {
    return &kHostTable;
}

void log_from_plugin(vigil_log_level level, const std::string& tag, const char* message) {
    spdlog::level::level_enum spd = spdlog::level::err;
    switch (level) {
        case VIGIL_LOG_TRACE:
            spd = spdlog::level::trace;
            break;
        case VIGIL_LOG_DEBUG:
            spd = spdlog::level::debug;
            break;
        case VIGIL_LOG_INFO:
            spd = spdlog::level::info;
            break;
        case VIGIL_LOG_WARN:
            spd = spdlog::level::warn;
            break;
        default:
            break;
    }
    spdlog::log(spd, "[{}] {}", tag, message);
}

}  // namespace vigil
