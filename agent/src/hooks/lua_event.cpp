#include "hooks/lua_event.hpp"

#include "util/rfc3339.hpp"

#include <cstring>
#include <string_view>

namespace vigil::lua_event {

namespace {

constexpr const char* kTypeName = "vigil.event";

struct Proxy {
    Event* event;  // nullptr once the call it was made for is over
    const JobIdentity* job;
    Event* backup;
    bool* backed_up;
};

void before_write(Proxy& proxy) {
    if (proxy.backup != nullptr && !*proxy.backed_up) {
        *proxy.backup = *proxy.event;
        *proxy.backed_up = true;
    }
}

Proxy& proxy_at(lua_State* state, int index) {
    auto* proxy = static_cast<Proxy*>(luaL_checkudata(state, index, kTypeName));
    if (proxy->event == nullptr) luaL_error(state, "this event belongs to an earlier call: hooks may not keep events");
    return *proxy;
}

std::string* string_field(Event& event, std::string_view key) {
    if (key == "id") return &event.id;
    if (key == "action") return &event.action;
    if (key == "object_type") return &event.object_type;
    if (key == "what") return &event.what;
    if (key == "who") return &event.who;
    if (key == "where") return &event.where;
    if (key == "workstation") return &event.workstation;
    if (key == "status") return &event.status;
    if (key == "details") return &event.details_json;
    if (key == "raw") return &event.raw_json;
    return nullptr;
}

const std::string* job_field(const JobIdentity& job, std::string_view key) {
    if (key == "connector") return &job.connector;
    if (key == "organization") return &job.organization;
    if (key == "source_group") return &job.source_group;
    if (key == "tenant_id") return &job.tenant_id;
    return nullptr;
}

int index(lua_State* state) {
    Proxy& proxy = proxy_at(state, 1);
    size_t size = 0;
    const char* name = luaL_checklstring(state, 2, &size);
    const std::string_view key(name, size);
    if (const std::string* field = string_field(*proxy.event, key)) {
        lua_pushlstring(state, field->data(), field->size());
    } else if (const std::string* identity = job_field(*proxy.job, key)) {
        lua_pushlstring(state, identity->data(), identity->size());
    } else if (key == "time_ms") {
        lua_pushinteger(state, proxy.event->time_ms);
    } else if (key == "time") {
        std::string text;
        append_rfc3339_ms(text, proxy.event->time_ms);
        lua_pushlstring(state, text.data(), text.size());
    } else {
        lua_pushnil(state);
    }
    return 1;
}

int new_index(lua_State* state) {
    Proxy& proxy = proxy_at(state, 1);
    size_t size = 0;
    const char* name = luaL_checklstring(state, 2, &size);
    const std::string_view key(name, size);
    if (std::string* field = string_field(*proxy.event, key)) {
        if (key == "id") return luaL_error(state, "event.id cannot be changed: it is how the event is stored once");
        before_write(proxy);
        if (lua_isnil(state, 3)) {
            field->clear();
        } else {
            size_t length = 0;
            const char* value = luaL_checklstring(state, 3, &length);
            field->assign(value, length);
        }
        return 0;
    }
    if (key == "time_ms") {
        const lua_Integer value = luaL_checkinteger(state, 3);
        before_write(proxy);
        proxy.event->time_ms = value;
        return 0;
    }
    return luaL_error(state, "event.%s cannot be set: it is not a field hooks may change", name);
}

int to_string(lua_State* state) {
    const Proxy& proxy = proxy_at(state, 1);
    lua_pushfstring(state, "event %s", proxy.event->id.c_str());
    return 1;
}

}  // namespace

void register_type(lua_State* state) {
    if (luaL_newmetatable(state, kTypeName) != 0) {
        lua_pushcfunction(state, index);
        lua_setfield(state, -2, "__index");
        lua_pushcfunction(state, new_index);
        lua_setfield(state, -2, "__newindex");
        lua_pushcfunction(state, to_string);
        lua_setfield(state, -2, "__tostring");
        lua_pushboolean(state, 0);
        lua_setfield(state, -2, "__metatable");  // getmetatable(event) gives nothing to tamper with
    }
    lua_pop(state, 1);
}

void push(lua_State* state, Event& event, const JobIdentity& job, Event* backup, bool* backed_up) {
    auto* proxy = static_cast<Proxy*>(lua_newuserdatauv(state, sizeof(Proxy), 0));
    proxy->event = &event;
    proxy->job = &job;
    proxy->backup = backup;
    proxy->backed_up = backed_up;
    luaL_setmetatable(state, kTypeName);
}

bool is(lua_State* state, int index, const Event& event) {
    const auto* proxy = static_cast<const Proxy*>(luaL_testudata(state, index, kTypeName));
    return proxy != nullptr && proxy->event == &event;
}

void close(lua_State* state, int index) {
    if (auto* proxy = static_cast<Proxy*>(luaL_testudata(state, index, kTypeName))) proxy->event = nullptr;
}

}  // namespace vigil::lua_event
