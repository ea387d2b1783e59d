#pragma once

#include <lua.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vigil {

// One Lua interpreter for one hook, closed to everything but computation:
//  - libraries: base (without dofile, loadfile, and with a load that takes text only), string (without dump),
//    table, math, utf8; no io, os, package, require, debug;
//  - memory: a custom allocator refuses to grow past memory_limit bytes (the script sees "not enough memory");
//  - time: each call gets an instruction budget; once spent, every further instruction raises again, so a pcall in
//    the script cannot swallow it, and the call reports the breach whatever the script returned.
class LuaSandbox {
public:
    struct Limits {
        size_t memory_bytes = 8u << 20;
        int64_t instructions_per_call = 1'000'000;
    };
    explicit LuaSandbox(Limits limits);
    ~LuaSandbox();
    LuaSandbox(const LuaSandbox&) = delete;
    LuaSandbox& operator=(const LuaSandbox&) = delete;

    lua_State* state() const { return state_; }

    // Compiles and runs a script given as text (never bytecode); false with error set (naming `name`, line and
    // message) when it does not compile or its top level fails.
    bool load(std::string_view script, const std::string& name, std::string& error);

    // Calls the function on the stack below nargs arguments under the instruction budget, like lua_pcall with one
    // result. Returns LUA_OK, or the error code with the message on the stack; budget_spent() says whether the budget
    // ran out during the call (then the call counts as failed even if the script caught the error).
    int call(int nargs);
    bool budget_spent() const { return spent_; }
    size_t memory_used() const { return used_; }

private:
    static void* allocate(void* self, void* block, size_t old_size, size_t new_size);
    static void count_hook(lua_State* state, lua_Debug* debug);

    Limits limits_;
    lua_State* state_ = nullptr;
    size_t used_ = 0;
    int64_t remaining_ = 0;
    bool spent_ = false;
};

}  // namespace vigil
