#pragma once

#include <vigil/plugin.h>

#include <string>

// The host side of vigil_host_ctx: what a plugin instance's calls into the host reach. ConnectorJob and
// OutputRunner implement it; the host table (host_table.cpp) forwards each C call here and turns any exception
// into a status, so nothing unwinds through plugin code.
struct vigil_host_ctx {
    virtual ~vigil_host_ctx() = default;

    virtual void log(vigil_log_level level, const char* message) = 0;
    virtual int64_t now_ms() = 0;
    virtual bool cancelled() = 0;
    virtual vigil_status read_secret(const char* name, char* buffer, size_t capacity, size_t* out_size);
    virtual vigil_status emit(const vigil_event* event);
    virtual vigil_status commit(vigil_str checkpoint);
    virtual vigil_status checkpoint(vigil_str* out);
    virtual vigil_status set_resume_token(vigil_str token);
    virtual vigil_status graph_get(const char* path_or_url, vigil_graph_page_fn on_page, void* user_data, char* error,
                                   size_t error_capacity);
    virtual vigil_status state_begin(const vigil_state_snapshot* snapshot);
    virtual vigil_status state_put(const vigil_state_object* object);
    virtual vigil_status state_remove(vigil_str kind, vigil_str id);
    virtual vigil_status state_complete_kind(vigil_str kind);
    virtual vigil_status state_finish(vigil_str cursor);
    virtual vigil_status state_cursor(vigil_str* out);
    virtual vigil_status state_read(vigil_str kind, vigil_state_object_fn fn, void* user_data);
};

namespace vigil {

// The one host table of this process. Static; valid for the process's lifetime.
const vigil_host* host_table();

// Writes a plugin's log line at its level, tagged (plugin-supplied levels beyond ERROR count as ERROR).
void log_from_plugin(vigil_log_level level, const std::string& tag, const char* message);

}  // namespace vigil
