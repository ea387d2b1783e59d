#pragma once

#include <vigil/json_text.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

// Appends one JSON object member by member, commas and nesting handled: the schema mappings read as a list of
// fields. Empty strings are left out (a schema's absent field, not an empty one).
class JsonWriter {
public:
    explicit JsonWriter(std::string& out) : out_(out) {}

    void begin() { open('{'); }
    void end() { close('}'); }
    void begin_object(std::string_view key) {
        name(key);
        open('{');
    }
    void end_object() { close('}'); }
    void begin_array(std::string_view key) {
        name(key);
        open('[');
    }
    void end_array() { close(']'); }

    void string(std::string_view key, std::string_view value) {
        if (value.empty()) return;
        name(key);
        sdk::append_json_string(out_, value);
    }
    void string_item(std::string_view value) {
        comma();
        sdk::append_json_string(out_, value);
    }
    void integer(std::string_view key, int64_t value) {
        name(key);
        out_ += std::to_string(value);
    }
    // value: JSON text, written as it is (a record's details); left out when empty.
    void json(std::string_view key, std::string_view value) {
        if (value.empty()) return;
        name(key);
        out_ += value;
    }

private:
    void comma() {
        if (!first_) out_ += ',';
        first_ = false;
    }
    void name(std::string_view key) {
        comma();
        sdk::append_json_string(out_, key);
        out_ += ':';
    }
    void open(char bracket) {
        out_ += bracket;
        first_ = true;
    }
    void close(char bracket) {
        out_ += bracket;
        first_ = false;
    }

    std::string& out_;
    bool first_ = true;
};

}  // namespace vigil
