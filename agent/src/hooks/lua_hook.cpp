#include "hooks/lua_hook.hpp"

#include "hooks/lua_event.hpp"

#include <spdlog/spdlog.h>
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vigil {

namespace {

constexpr int kLinesPerMinute = 10;

// Params as Lua values: mappings become tables by key, sequences arrays, scalars booleans, integers, numbers or
// strings as they read.
void push_yaml(lua_State* state, const YAML::Node& node) {
    if (node.IsMap()) {
        lua_createtable(state, 0, static_cast<int>(node.size()));
        for (const auto& entry : node) {
            push_yaml(state, entry.second);
            lua_setfield(state, -2, entry.first.Scalar().c_str());
        }
    } else if (node.IsSequence()) {
        lua_createtable(state, static_cast<int>(node.size()), 0);
        lua_Integer i = 1;
        for (const auto& item : node) {
            push_yaml(state, item);
            lua_rawseti(state, -2, i++);
        }
    } else if (node.IsScalar()) {
        const std::string& text = node.Scalar();
        bool flag = false;
        long long integer = 0;
        double number = 0;
        if (node.Tag() != "!" && YAML::convert<bool>::decode(node, flag)) {
            lua_pushboolean(state, flag ? 1 : 0);
        } else if (node.Tag() != "!" && YAML::convert<long long>::decode(node, integer)) {
            lua_pushinteger(state, integer);
        } else if (node.Tag() != "!" && YAML::convert<double>::decode(node, number)) {
            lua_pushnumber(state, number);
        } else {
            lua_pushlstring(state, text.data(), text.size());
        }
    } else {
        lua_pushnil(state);
    }
}

}  // namespace

std::string read_hook_script(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read hook script " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

LuaHook::LuaHook(const std::string& script, LuaHookOptions options)
    : options_(std::move(options)), sandbox_(options_.limits) {
    lua_State* L = sandbox_.state();
    lua_event::register_type(L);
    // print and ctx.log go to the agent's log, rate-limited; a script has no other way out.
    lua_pushlightuserdata(L, this);
    lua_pushcclosure(
        L,
        [](lua_State* state) -> int {
            auto* self = static_cast<LuaHook*>(lua_touserdata(state, lua_upvalueindex(1)));
            luaL_Buffer line;
            luaL_buffinit(state, &line);
            const int count = lua_gettop(state);
            for (int i = 1; i <= count; ++i) {
                if (i > 1) luaL_addchar(&line, ' ');
                luaL_tolstring(state, i, nullptr);
                luaL_addvalue(&line);
            }
            luaL_pushresult(&line);
            if (self->may_log()) spdlog::info("[hook {}] {}", self->options_.path, lua_tostring(state, -1));
            return 0;
        },
        1);
    lua_pushvalue(L, -1);
    lua_setglobal(L, "print");
    // ctx: params and log now, the job's fields per event.
    lua_createtable(L, 0, 6);
    lua_insert(L, -2);
    lua_setfield(L, -2, "log");
    try {
        push_yaml(L, options_.params_yaml.empty() ? YAML::Node(YAML::NodeType::Map) : YAML::Load(options_.params_yaml));
    } catch (const YAML::Exception& failure) {
        throw std::runtime_error("hook " + options_.path + ": its params cannot be read: " + failure.what());
    }
    lua_setfield(L, -2, "params");
    lua_pushlightuserdata(L, this);
    lua_pushcclosure(
        L,
        [](lua_State* state) -> int {
            const auto* self = static_cast<const LuaHook*>(lua_touserdata(state, lua_upvalueindex(1)));
            size_t size = 0;
            const char* who = lua_isnoneornil(state, 1) ? "" : luaL_checklstring(state, 1, &size);
            const bool member =
                self->options_.service_accounts != nullptr &&
                self->options_.service_accounts->contains(self->source_key_, std::string_view(who, size));
            lua_pushboolean(state, member ? 1 : 0);
            return 1;
        },
        1);
    lua_setfield(L, -2, "is_service_account");
    context_ = luaL_ref(L, LUA_REGISTRYINDEX);

    std::string error;
    if (!sandbox_.load(script, options_.path, error)) throw std::runtime_error("hook " + error);
    lua_getglobal(L, "on_event");
    if (!lua_isfunction(L, -1)) {
        lua_pop(L, 1);
        throw std::runtime_error("hook " + options_.path + " defines no on_event(event, ctx) function");
    }
    on_event_ = luaL_ref(L, LUA_REGISTRYINDEX);
}

bool LuaHook::may_log() {
    const auto now = std::chrono::steady_clock::now();
    if (now - log_window_ >= std::chrono::minutes(1)) {
        if (held_lines_ > 0) {
            spdlog::warn("[hook {}] {} more log lines were held back (at most {} a minute)", options_.path, held_lines_,
                         kLinesPerMinute);
        }
        log_window_ = now;
        log_lines_ = 0;
        held_lines_ = 0;
    }
    if (log_lines_ < kLinesPerMinute) {
        ++log_lines_;
        return true;
    }
    ++held_lines_;
    return false;
}

void LuaHook::push_context(const JobIdentity& job) {
    lua_State* L = sandbox_.state();
    lua_rawgeti(L, LUA_REGISTRYINDEX, context_);
    // A batch's events share their job: ctx is filled when it changes.
    if (context_filled_ && context_job_.tenant_id == job.tenant_id && context_job_.connector == job.connector &&
        context_job_.organization == job.organization && context_job_.source_group == job.source_group) {
        return;
    }
    context_job_ = job;
    context_filled_ = true;
    source_key_ = ServiceAccounts::key(job.organization, job.source_group, job.tenant_id);
    const std::pair<const char*, const std::string*> fields[] = {{"organization", &job.organization},
                                                                 {"source_group", &job.source_group},
                                                                 {"tenant_id", &job.tenant_id},
                                                                 {"connector", &job.connector}};
    for (const auto& [name, value] : fields) {
        lua_pushlstring(L, value->data(), value->size());
        lua_setfield(L, -2, name);
    }
}

void LuaHook::failed(const Event& event, const char* why) {
    ++failures_;
    if (may_log()) {
        spdlog::warn("[hook {}] failed on event {}: {}; the event is {} (on_error: {})", options_.path, event.id,
                     why ? why : "unknown error",
                     options_.on_error == HookFailurePolicy::keep ? "kept as it was" : "dropped",
                     options_.on_error == HookFailurePolicy::keep ? "keep" : "drop");
    }
}

HookVerdict LuaHook::on_event(Event& event, const JobIdentity& job) {
    lua_State* L = sandbox_.state();
    const int top = lua_gettop(L);
    backed_up_ = false;
    lua_rawgeti(L, LUA_REGISTRYINDEX, on_event_);
    lua_event::push(L, event, job, &backup_, &backed_up_);
    lua_pushvalue(L, -1);
    const int proxy = lua_gettop(L) - 1;
    lua_insert(L, proxy - 1);  // keep a copy below the function, to close after the call
    push_context(job);
    const int status = sandbox_.call(2);
    HookVerdict verdict = HookVerdict::keep;
    if (status != LUA_OK) {
        failed(event, lua_tostring(L, -1));
        if (options_.on_error == HookFailurePolicy::keep) {
            if (backed_up_) event = backup_;  // what the script changed before failing does not count
        } else {
            verdict = HookVerdict::drop;
        }
    } else if (lua_isnil(L, -1)) {
        verdict = HookVerdict::drop;
    } else if (!lua_event::is(L, -1, event)) {
        failed(event, "on_event returned something other than the event or nil");
        if (options_.on_error == HookFailurePolicy::drop) verdict = HookVerdict::drop;
    }
    lua_event::close(L, top + 1);
    lua_settop(L, top);
    return verdict;
}

std::string check_hook_script(const std::string& path, const std::string& params_yaml) {
    try {
        LuaHookOptions options;
        options.path = path;
        options.params_yaml = params_yaml;
        LuaHook hook(read_hook_script(path), options);
    } catch (const std::exception& failure) {
        return failure.what();
    }
    return {};
}

}  // namespace vigil
