// The example connector: emits `count` greetings per run and remembers how many it has sent, so a restart
// continues where the last committed run ended.
#include <vigil/plugin.hpp>

#include <string>

class Hello {
public:
    static constexpr vigil_plugin_kind kind = VIGIL_KIND_CONNECTOR;
    static constexpr const char* name = "hello";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Example connector: emits numbered greetings";
    static constexpr vigil_config_key config_keys[] = {
        vigil::sdk::key("count", VIGIL_VALUE_INT, "3", "greetings emitted per run", false, 1, 1000000),
        vigil::sdk::key("greeting", VIGIL_VALUE_STRING, "hello", "the word each event carries as `what`"),
    };

    Hello(vigil::sdk::Host host, const vigil::sdk::Config& config)
        : host_(host), count_(config.get_int("count")), greeting_(config.get_string("greeting")) {}

    vigil_status run() {
        const std::string checkpoint = host_.checkpoint();
        const long long first = checkpoint.empty() ? 0 : std::stoll(checkpoint);
        for (long long n = first; n < first + count_; ++n) {
            const std::string id = "hello-" + std::to_string(n);
            vigil::sdk::Event event;
            event.id = id;
            event.time_ms = host_.now_ms();
            event.action = "Added";
            event.object_type = "Greeting";
            event.what = greeting_;
            event.who = "hello-plugin";
            event.status = "success";
            if (const vigil_status status = host_.emit(event); status != VIGIL_OK) return status;
        }
        return host_.commit(std::to_string(first + count_));
    }

private:
    vigil::sdk::Host host_;
    long long count_;
    std::string greeting_;
};

VIGIL_PLUGIN(Hello)
