#include "hooks/lua_sandbox.hpp"

#include <cstdlib>
#include <stdexcept>

namespace vigil {

namespace {

constexpr int kHookEvery = 1000;  // instructions between budget checks

// `load` for scripts: text chunks only (bytecode could break the interpreter), into the sandbox's globals.
int load_text(lua_State* state) {
    size_t size = 0;
    const char* chunk = luaL_checklstring(state, 1, &size);
    const char* name = luaL_optstring(state, 2, "=(load)");
    if (luaL_loadbufferx(state, chunk, size, name, "t") != LUA_OK) {
        lua_pushnil(state);
        lua_insert(state, -2);
        return 2;  // nil, message: as load does
    }
    return 1;
}

}  // namespace

void* LuaSandbox::allocate(void* self, void* block, size_t old_size, size_t new_size) {
    auto* sandbox = static_cast<LuaSandbox*>(self);
    const size_t previous = block == nullptr ? 0 : old_size;  // for a new block old_size is its type, not a size
    if (new_size == 0) {
        std::free(block);
        sandbox->used_ -= previous;
        return nullptr;
    }
    if (new_size > previous && sandbox->used_ - previous + new_size > sandbox->limits_.memory_bytes) return nullptr;
    void* grown = std::realloc(block, new_size);
    if (grown != nullptr) sandbox->used_ = sandbox->used_ - previous + new_size;
    return grown;
}

void LuaSandbox::count_hook(lua_State* state, lua_Debug*) {
    void* self = nullptr;
    lua_getallocf(state, &self);
    auto* sandbox = static_cast<LuaSandbox*>(self);
    sandbox->remaining_ -= kHookEvery;
    if (sandbox->remaining_ > 0 && !sandbox->spent_) return;
    if (!sandbox->spent_) {
        sandbox->spent_ = true;
        lua_sethook(state, &LuaSandbox::count_hook, LUA_MASKCOUNT, 1);  // from now on, every instruction raises
    }
    luaL_error(state, "the hook used up its instruction budget (%d instructions per event)",
               static_cast<int>(sandbox->limits_.instructions_per_call));
}

LuaSandbox::LuaSandbox(Limits limits) : limits_(limits) {
    state_ = lua_newstate(&LuaSandbox::allocate, this);
    if (state_ == nullptr) throw std::runtime_error("cannot create a Lua interpreter (out of memory)");
    luaL_requiref(state_, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(state_, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(state_, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(state_, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(state_, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_settop(state_, 0);
    for (const char* name : {"dofile", "loadfile", "require"}) {
        lua_pushnil(state_);
        lua_setglobal(state_, name);
    }
    lua_pushcfunction(state_, load_text);
    lua_setglobal(state_, "load");
    lua_getglobal(state_, LUA_STRLIBNAME);
    lua_pushnil(state_);
    lua_setfield(state_, -2, "dump");
    lua_pop(state_, 1);
    // Strings share one metatable whose __index is the string table: it must not lead back to anything removed.
}

LuaSandbox::~LuaSandbox() {
    if (state_ != nullptr) lua_close(state_);
}

bool LuaSandbox::load(std::string_view script, const std::string& name, std::string& error) {
    const std::string chunk_name = "@" + name;
    if (luaL_loadbufferx(state_, script.data(), script.size(), chunk_name.c_str(), "t") != LUA_OK) {
        error = lua_tostring(state_, -1) ? lua_tostring(state_, -1) : "the script does not compile";
        lua_pop(state_, 1);
        return false;
    }
    if (call(0) != LUA_OK) {
        error = lua_tostring(state_, -1) ? lua_tostring(state_, -1) : "the script failed";
        lua_pop(state_, 1);
        return false;
    }
    lua_pop(state_, 1);  // the chunk's result
    return true;
}

int LuaSandbox::call(int nargs) {
    spent_ = false;
    remaining_ = limits_.instructions_per_call;
    lua_sethook(state_, &LuaSandbox::count_hook, LUA_MASKCOUNT, kHookEvery);
    int status = lua_pcall(state_, nargs, 1, 0);
    lua_sethook(state_, nullptr, 0, 0);
    if (spent_ && status == LUA_OK) {  // caught inside the script: still a breach
        lua_pop(state_, 1);
        lua_pushfstring(state_, "the hook used up its instruction budget (%d instructions per event)",
                        static_cast<int>(limits_.instructions_per_call));
        status = LUA_ERRRUN;
    }
    return status;
}

}  // namespace vigil
