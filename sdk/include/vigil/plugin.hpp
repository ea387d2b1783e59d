// Header-only C++ adapter over vigil/plugin.h: a plugin is a plain class plus one macro.
//
//   class Hello {
//    public:
//     static constexpr vigil_plugin_kind kind = VIGIL_KIND_CONNECTOR;
//     static constexpr const char* name = "hello";
//     static constexpr const char* version = "1.0.0";
//     static constexpr const char* description = "Emits greetings";
//     static constexpr vigil_config_key config_keys[] = {
//         vigil::sdk::key("count", VIGIL_VALUE_INT, "3", "greetings per run")};
//     static constexpr const char* graph_probes[] = {"/v1.0/auditLogs/directoryAudits?$top=1"};  // optional
//     Hello(vigil::sdk::Host host, const vigil::sdk::Config& config);
//     vigil_status run();                                       // connectors
//     // void open(std::string_view resume_token);              // outputs
//     // vigil_status write(std::span<const vigil_record* const> records);
//   };
//   VIGIL_PLUGIN(Hello)
//
// Exceptions never cross the C boundary: the adapter catches them and turns them into a status and a message.
// Throw vigil::sdk::Error to choose the status; any other std::exception becomes VIGIL_ERR_INTERNAL.
#ifndef VIGIL_PLUGIN_HPP
#define VIGIL_PLUGIN_HPP

#include <vigil/plugin.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <exception>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace vigil::sdk {

inline vigil_str to_str(std::string_view text) noexcept {
    return vigil_str{text.data(), text.size()};
}
inline std::string_view to_view(vigil_str text) noexcept {
    return text.data == nullptr ? std::string_view{} : std::string_view{text.data, text.size};
}

// A failure with a chosen status; the message goes to the host's log and error output.
class Error : public std::runtime_error {
public:
    Error(vigil_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    vigil_status status() const noexcept { return status_; }

private:
    vigil_status status_;
};

// One configuration key, for a plugin's `static constexpr vigil_config_key config_keys[]`.
constexpr vigil_config_key key(const char* name, vigil_value_type type, const char* default_value, const char* help,
                               bool required = false, int64_t min_value = 0, int64_t max_value = 0) noexcept {
    return vigil_config_key{
        sizeof(vigil_config_key), name, type, required ? 1 : 0, default_value, help, min_value, max_value};
}

// Read access to the validated configuration; usable only inside the plugin's constructor.
class Config {
public:
    Config(const vigil_host* host, const vigil_config* config) noexcept : host_(host), config_(config) {}
    bool get_bool(const char* name) const { return host_->config_bool(config_, name) != 0; }
    int64_t get_int(const char* name) const { return host_->config_int(config_, name); }
    int64_t get_duration_ms(const char* name) const { return host_->config_int(config_, name); }
    std::string get_string(const char* name) const { return host_->config_string(config_, name); }
    std::vector<std::string> get_list(const char* name) const {
        std::vector<std::string> items;
        const size_t count = host_->config_list_size(config_, name);
        items.reserve(count);
        for (size_t i = 0; i < count; ++i) items.emplace_back(host_->config_list_item(config_, name, i));
        return items;
    }

private:
    const vigil_host* host_;
    const vigil_config* config_;
};

// An event to emit; every field is a view the host copies during emit().
struct Event {
    std::string_view id;
    int64_t time_ms = 0;
    std::string_view action;
    std::string_view object_type;
    std::string_view what;
    std::string_view who;
    std::string_view where;
    std::string_view workstation;
    std::string_view status;
    std::string_view details_json;
    std::string_view raw_json;
};

// (ABI 1.2) One object of a state snapshot; every field is a view the host copies during state_put().
struct StateObject {
    std::string_view kind;
    std::string_view id;
    std::string_view object_type;
    std::string_view name;
    std::string_view json;
};

// The host's services for one plugin instance. Cheap to copy; valid until the instance is destroyed.
class Host {
public:
    Host(const vigil_host* host, vigil_host_ctx* ctx) noexcept : host_(host), ctx_(ctx) {}

    void log(vigil_log_level level, const std::string& message) const { host_->log(ctx_, level, message.c_str()); }
    void info(const std::string& message) const { log(VIGIL_LOG_INFO, message); }
    void warn(const std::string& message) const { log(VIGIL_LOG_WARN, message); }
    int64_t now_ms() const { return host_->now_ms(ctx_); }
    bool cancelled() const { return host_->is_cancelled(ctx_) != 0; }

    vigil_status emit(const Event& event) const {
        const vigil_event raw{sizeof(vigil_event),  to_str(event.id),           event.time_ms,
                              to_str(event.action), to_str(event.object_type),  to_str(event.what),
                              to_str(event.who),    to_str(event.where),        to_str(event.workstation),
                              to_str(event.status), to_str(event.details_json), to_str(event.raw_json)};
        return host_->emit(ctx_, &raw);
    }
    vigil_status commit(std::string_view checkpoint) const { return host_->commit(ctx_, to_str(checkpoint)); }
    std::string checkpoint() const {
        vigil_str out{nullptr, 0};
        if (host_->checkpoint(ctx_, &out) != VIGIL_OK) return {};
        return std::string(to_view(out));
    }
    // Returns false when the credential has no such secret.
    bool read_secret(const char* name, std::string& out) const {
        size_t size = 0;
        out.resize(256);
        vigil_status status = host_->read_secret(ctx_, name, out.data(), out.size() + 1, &size);
        if (status == VIGIL_ERR_BUFFER_TOO_SMALL) {
            out.resize(size);
            status = host_->read_secret(ctx_, name, out.data(), out.size() + 1, &size);
        }
        if (status != VIGIL_OK) {
            out.clear();
            return false;
        }
        out.resize(size);
        return true;
    }
    vigil_status set_resume_token(std::string_view token) const { return host_->set_resume_token(ctx_, to_str(token)); }

    // (ABI 1.1) Pages of a Graph GET, handed to on_page(std::string_view page) -> bool (false stops paging).
    // On failure, error holds the host's one-line reason.
    template <class OnPage>
    vigil_status graph_get(const std::string& path_or_url, OnPage&& on_page, std::string& error) const {
        if (host_->struct_size < offsetof(vigil_host, graph_get) + sizeof(host_->graph_get)) {
            error = "this Vigil agent is older than plugin ABI 1.1 and offers no Graph access";
            return VIGIL_ERR_UNAVAILABLE;
        }
        struct Call {
            std::remove_reference_t<OnPage>* callback;
            bool failed = false;
            std::string failure;
        } call{&on_page, false, {}};
        const vigil_graph_page_fn trampoline = [](void* user_data, vigil_str page) -> int {
            auto* self = static_cast<Call*>(user_data);
            try {  // an exception must not cross into the host
                return (*self->callback)(to_view(page)) ? 1 : 0;
            } catch (const std::exception& failure) {
                self->failed = true;
                self->failure = failure.what();
                return 0;
            }
        };
        char buffer[512] = {};
        const vigil_status status =
            host_->graph_get(ctx_, path_or_url.c_str(), trampoline, &call, buffer, sizeof(buffer));
        if (call.failed) {
            error = call.failure;
            return VIGIL_ERR_INTERNAL;
        }
        error = buffer;
        return status;
    }

    // (ABI 1.2) The state store: see vigil_host in plugin.h. has_state() is false on an older agent.
    bool has_state() const noexcept {
        return host_->struct_size >= offsetof(vigil_host, state_read) + sizeof(host_->state_read);
    }
    vigil_status state_begin(int64_t taken_ms, std::string_view where) const {
        if (!has_state()) return VIGIL_ERR_UNAVAILABLE;
        const vigil_state_snapshot snapshot{sizeof(vigil_state_snapshot), taken_ms, to_str(where)};
        return host_->state_begin(ctx_, &snapshot);
    }
    vigil_status state_put(const StateObject& object) const {
        if (!has_state()) return VIGIL_ERR_UNAVAILABLE;
        const vigil_state_object raw{sizeof(vigil_state_object), to_str(object.kind), to_str(object.id),
                                     to_str(object.object_type), to_str(object.name), to_str(object.json)};
        return host_->state_put(ctx_, &raw);
    }
    vigil_status state_remove(std::string_view kind, std::string_view id) const {
        return has_state() ? host_->state_remove(ctx_, to_str(kind), to_str(id)) : VIGIL_ERR_UNAVAILABLE;
    }
    vigil_status state_complete_kind(std::string_view kind) const {
        return has_state() ? host_->state_complete_kind(ctx_, to_str(kind)) : VIGIL_ERR_UNAVAILABLE;
    }
    vigil_status state_finish(std::string_view cursor) const {
        return has_state() ? host_->state_finish(ctx_, to_str(cursor)) : VIGIL_ERR_UNAVAILABLE;
    }
    std::string state_cursor() const {
        vigil_str out{nullptr, 0};
        if (!has_state() || host_->state_cursor(ctx_, &out) != VIGIL_OK) return {};
        return std::string(to_view(out));
    }
    // Hands each object of kind, as of the last finished snapshot, to on_object(const StateObject&) -> bool (false
    // stops). An exception from on_object is rethrown here, after the host has returned.
    template <class OnObject>
    vigil_status state_read(std::string_view kind, OnObject&& on_object) const {
        if (!has_state()) return VIGIL_ERR_UNAVAILABLE;
        struct Call {
            std::remove_reference_t<OnObject>* callback;
            std::exception_ptr failure;
        } call{&on_object, nullptr};
        const vigil_state_object_fn trampoline = [](void* user_data, const vigil_state_object* object) -> int {
            auto* self = static_cast<Call*>(user_data);
            try {
                return (*self->callback)(StateObject{to_view(object->kind), to_view(object->id),
                                                     to_view(object->object_type), to_view(object->name),
                                                     to_view(object->json)})
                           ? 1
                           : 0;
            } catch (...) {
                self->failure = std::current_exception();
                return 0;
            }
        };
        const vigil_status status = host_->state_read(ctx_, to_str(kind), trampoline, &call);
        if (call.failure) std::rethrow_exception(call.failure);
        return status;
    }

private:
    const vigil_host* host_;
    vigil_host_ctx* ctx_;
};

namespace detail {

inline void write_error(char* error, size_t capacity, const char* message) noexcept {
    if (error == nullptr || capacity == 0) return;
    const size_t length = std::min(std::strlen(message), capacity - 1);
    std::memcpy(error, message, length);
    error[length] = '\0';
}

// Runs body, turning exceptions into a status and a message: nothing may unwind into the host.
template <class Body>
vigil_status guarded(char* error, size_t capacity, Body&& body) noexcept {
    try {
        return body();
    } catch (const Error& failure) {
        write_error(error, capacity, failure.what());
        return failure.status();
    } catch (const std::exception& failure) {
        write_error(error, capacity, failure.what());
        return VIGIL_ERR_INTERNAL;
    } catch (...) {
        write_error(error, capacity, "unknown exception");
        return VIGIL_ERR_INTERNAL;
    }
}

template <class P>
constexpr size_t key_count() {
    if constexpr (requires { P::config_keys; }) {
        return std::size(P::config_keys);
    } else {
        return 0;
    }
}

template <class P>
const vigil_config_key* const* key_pointers() {
    static const auto pointers = [] {
        std::array<const vigil_config_key*, key_count<P>() + 1> array{};
        if constexpr (key_count<P>() > 0) {
            for (size_t i = 0; i < key_count<P>(); ++i) array[i] = &P::config_keys[i];
        }
        array[key_count<P>()] = nullptr;
        return array;
    }();
    return pointers.data();
}

template <class P>
const char* const* graph_probes() {
    if constexpr (requires { P::graph_probes; }) {
        static const auto pointers = [] {
            std::array<const char*, std::size(P::graph_probes) + 1> array{};
            for (size_t i = 0; i < std::size(P::graph_probes); ++i) array[i] = P::graph_probes[i];
            return array;
        }();
        return pointers.data();
    } else {
        return nullptr;
    }
}

template <class P>
vigil_status create(const vigil_host* host, vigil_host_ctx* ctx, const vigil_config* config, void** out, char* error,
                    size_t capacity) {
    return guarded(error, capacity, [&] {
        *out = new P(Host(host, ctx), Config(host, config));
        return VIGIL_OK;
    });
}

template <class P>
void destroy(void* instance) {
    delete static_cast<P*>(instance);
}

template <class P>
vigil_status run(void* instance, char* error, size_t capacity) {
    if constexpr (requires(P & p) { p.run(); }) {
        return guarded(error, capacity, [&] { return static_cast<P*>(instance)->run(); });
    } else {
        write_error(error, capacity, "this plugin is not a connector");
        return VIGIL_ERR_INVALID_ARGUMENT;
    }
}

template <class P>
vigil_status open(void* instance, vigil_str token, char* error, size_t capacity) {
    if constexpr (requires(P & p) { p.open(std::string_view{}); }) {
        return guarded(error, capacity, [&] {
            static_cast<P*>(instance)->open(to_view(token));
            return VIGIL_OK;
        });
    } else {
        write_error(error, capacity, "this plugin is not an output");
        return VIGIL_ERR_INVALID_ARGUMENT;
    }
}

template <class P>
vigil_status write(void* instance, const vigil_record* const* records, size_t count, char* error, size_t capacity) {
    if constexpr (requires(P & p, std::span<const vigil_record* const> batch) { p.write(batch); }) {
        return guarded(error, capacity, [&] {
            return static_cast<P*>(instance)->write(std::span<const vigil_record* const>(records, count));
        });
    } else {
        write_error(error, capacity, "this plugin is not an output");
        return VIGIL_ERR_INVALID_ARGUMENT;
    }
}

}  // namespace detail

// The descriptor for plugin class P. Built-in plugins register this directly; shared libraries export it through
// VIGIL_PLUGIN.
template <class P>
const vigil_plugin_descriptor* describe() {
    static const vigil_plugin_descriptor descriptor{sizeof(vigil_plugin_descriptor),
                                                    VIGIL_ABI_MAJOR,
                                                    VIGIL_ABI_MINOR,
                                                    P::kind,
                                                    P::name,
                                                    P::version,
                                                    P::description,
                                                    detail::key_pointers<P>(),
                                                    &detail::create<P>,
                                                    &detail::destroy<P>,
                                                    &detail::run<P>,
                                                    &detail::open<P>,
                                                    &detail::write<P>,
                                                    detail::graph_probes<P>()};
    return &descriptor;
}

}  // namespace vigil::sdk

// Exports the entry symbol of a plugin library. Use once per shared library.
#define VIGIL_PLUGIN(PluginClass)                                                            \
    extern "C" VIGIL_PLUGIN_EXPORT const vigil_plugin_descriptor* vigil_plugin_entry(void) { \
        return ::vigil::sdk::describe<PluginClass>();                                        \
    }

#endif  // VIGIL_PLUGIN_HPP
