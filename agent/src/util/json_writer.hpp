#pragma once

#include <vigil/json_text.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace vigil {

// Appends JSON member by member, commas and nesting handled, to a string the caller owns (and may flush and clear
// between members: the writer keeps no state in it). Used by the OCSF and ECS mappings, the json reports and the
// status endpoint.
//   string(key, v)   leaves out an empty value (a schema's absent field); text(key, v) writes it, empty or not.
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
    // An object as an item of the array being written.
    void begin_item() {
        comma();
        open('{');
    }
    void end_item() { close('}'); }

    void string(std::string_view key, std::string_view value) {
        if (value.empty()) return;
        text(key, value);
    }
    void text(std::string_view key, std::string_view value) {
        name(key);
        sdk::append_json_string(out_, value);
    }
    // Text, or null when empty.
    void text_or_null(std::string_view key, std::string_view value) {
        if (value.empty()) {
            json(key, "null");
        } else {
            text(key, value);
        }
    }
    void string_item(std::string_view value) {
        comma();
        sdk::append_json_string(out_, value);
    }
    void integer(std::string_view key, int64_t value) {
        name(key);
        out_ += std::to_string(value);
    }
    void unsigned_integer(std::string_view key, uint64_t value) {
        name(key);
        out_ += std::to_string(value);
    }
    // A whole number without a fraction, anything else with up to six significant digits.
    void number(std::string_view key, double value) {
        name(key);
        char digits[32];
        const int length = std::floor(value) == value && std::fabs(value) < 1e15
                               ? std::snprintf(digits, sizeof(digits), "%.0f", value)
                               : std::snprintf(digits, sizeof(digits), "%.6g", value);
        out_.append(digits, static_cast<size_t>(length));
    }
    void boolean(std::string_view key, bool value) {
        name(key);
        out_ += value ? "true" : "false";
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
