/* JSON text helpers for plugins and the host: header-only, no dependencies.
 *
 *   vigil::sdk::append_json_string(out, text)  appends text as a JSON string literal
 *   vigil::sdk::is_valid_json(text)            checks that text is exactly one well-formed JSON value
 *
 * A connector builds `details` with these; the host checks what plugins hand over with the same code. */
#ifndef VIGIL_JSON_TEXT_HPP
#define VIGIL_JSON_TEXT_HPP

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace vigil::sdk {

namespace json_detail {

inline constexpr char kHex[] = "0123456789abcdef";
inline constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
inline size_t utf8_sequence_length(std::string_view text, size_t i) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    size_t length = 0;
    uint32_t min_code = 0;
    uint32_t code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, min_code = 0x80, code = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, min_code = 0x800, code = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, min_code = 0x10000, code = lead & 0x07u;
    } else {
        return 0;
    }
    if (i + length > text.size()) return 0;
    for (size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
        code = (code << 6) | (byte(i + k) & 0x3Fu);
    }
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
    return length;
}

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHighs = 0x8080808080808080ULL;

// High bit set in each byte lane of word that is below `limit` (limit <= 0x80), and possibly in lanes after one.
inline constexpr uint64_t lanes_below(uint64_t word, uint64_t limit) {
    return (word - kOnes * limit) & ~word & kHighs;
}
// High bit set in each byte lane equal to value, and possibly in lanes after one.
inline constexpr uint64_t lanes_equal(uint64_t word, unsigned char value) {
    return lanes_below(word ^ (kOnes * value), 1);
}

// Length of the prefix of text[from..] that needs no escaping: no control character, quote, backslash or non-ASCII
// byte. Eight bytes per step (SWAR): this scan runs over every field of every event.
inline size_t plain_run(std::string_view text, size_t from) {
    size_t at = from;
    while (at + 8 <= text.size()) {
        uint64_t word;
        std::memcpy(&word, text.data() + at, 8);
        const uint64_t special =
            lanes_below(word, 0x20) | lanes_equal(word, '"') | lanes_equal(word, '\\') | (word & kHighs);
        if (special != 0) {
            // The first flagged lane is exact (false flags only follow a true one): stop right there.
            if constexpr (std::endian::native == std::endian::little) {
                return at + static_cast<size_t>(std::countr_zero(special)) / 8 - from;
            } else {
                return at + static_cast<size_t>(std::countl_zero(special)) / 8 - from;
            }
        }
        at += 8;
    }
    while (at < text.size()) {
        const auto c = static_cast<unsigned char>(text[at]);
        if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
        ++at;
    }
    return at - from;
}

class Validator {
public:
    explicit Validator(std::string_view text) : text_(text) {}

    bool run() {
        skip_space();
        if (!value(0)) return false;
        skip_space();
        return pos_ == text_.size();
    }

private:
    static constexpr int kMaxDepth = 256;

    bool value(int depth) {
        if (depth > kMaxDepth || pos_ >= text_.size()) return false;
        switch (text_[pos_]) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                return number();
        }
    }
    bool object(int depth) {
        ++pos_;
        skip_space();
        if (peek('}')) return ++pos_, true;
        while (true) {
            skip_space();
            if (!peek('"') || !string()) return false;
            skip_space();
            if (!peek(':')) return false;
            ++pos_;
            skip_space();
            if (!value(depth + 1)) return false;
            skip_space();
            if (peek('}')) return ++pos_, true;
            if (!peek(',')) return false;
            ++pos_;
        }
    }
    bool array(int depth) {
        ++pos_;
        skip_space();
        if (peek(']')) return ++pos_, true;
        while (true) {
            skip_space();
            if (!value(depth + 1)) return false;
            skip_space();
            if (peek(']')) return ++pos_, true;
            if (!peek(',')) return false;
            ++pos_;
        }
    }
    bool string() {
        ++pos_;
        while (pos_ < text_.size()) {
            pos_ += plain_run(text_, pos_);  // most of a record is plain text: eight bytes a step
            if (pos_ >= text_.size()) return false;
            const auto c = static_cast<unsigned char>(text_[pos_]);
            if (c == '"') return ++pos_, true;
            if (c < 0x20) return false;
            if (c == '\\') {
                if (++pos_ >= text_.size()) return false;
                const char escape = text_[pos_];
                if (escape == 'u') {
                    for (int k = 0; k < 4; ++k) {
                        if (++pos_ >= text_.size() || !is_hex(text_[pos_])) return false;
                    }
                } else if (std::string_view("\"\\/bfnrt").find(escape) == std::string_view::npos) {
                    return false;
                }
                ++pos_;
            } else if (c < 0x80) {
                ++pos_;
            } else {
                const size_t length = utf8_sequence_length(text_, pos_);
                if (length == 0) return false;
                pos_ += length;
            }
        }
        return false;
    }
    bool number() {
        const size_t start = pos_;
        if (peek('-')) ++pos_;
        if (peek('0')) {
            ++pos_;
        } else if (!digits()) {
            return false;
        }
        if (peek('.')) {
            ++pos_;
            if (!digits()) return false;
        }
        if (peek('e') || peek('E')) {
            ++pos_;
            if (peek('+') || peek('-')) ++pos_;
            if (!digits()) return false;
        }
        return pos_ > start;
    }
    bool digits() {
        const size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
        return pos_ > start;
    }
    bool literal(std::string_view word) {
        if (text_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }
    bool peek(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
    static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
    void skip_space() {
        // Compact JSON has no white space: one comparison decides the usual case.
        if (pos_ < text_.size() && static_cast<unsigned char>(text_[pos_]) > ' ') return;
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }

    std::string_view text_;
    size_t pos_ = 0;
};

}  // namespace json_detail

// Appends text as a JSON string literal (with quotes). Control characters are escaped; bytes of invalid UTF-8 are
// replaced by U+FFFD so that every line written is valid JSON whatever a source sent. Runs of plain ASCII are
// copied eight bytes a step: this runs over every field of every event.
inline void append_json_string(std::string& out, std::string_view text) {
    out.push_back('"');
    size_t i = 0;
    while (i < text.size()) {
        // Copy the longest run that needs no escaping in one append.
        const size_t run = json_detail::plain_run(text, i);
        out.append(text.data() + i, run);
        i += run;
        if (i >= text.size()) break;
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            const size_t length = json_detail::utf8_sequence_length(text, i);
            if (length == 0) {
                out.append(json_detail::kReplacement);
                ++i;
            } else {
                out.append(text.data() + i, length);
                i += length;
            }
            continue;
        }
        switch (c) {
            case '"':
                out.append("\\\"");
                break;
            case '\\':
                out.append("\\\\");
                break;
            case '\n':
                out.append("\\n");
                break;
            case '\r':
                out.append("\\r");
                break;
            case '\t':
                out.append("\\t");
                break;
            default:
                out.append("\\u00");
                out.push_back(json_detail::kHex[c >> 4]);
                out.push_back(json_detail::kHex[c & 0xF]);
        }
        ++i;
    }
    out.push_back('"');
}

// Index just past the JSON string whose opening quote is at text[at]; npos when it does not end. For finding
// where values start and end in JSON text without parsing it; it does not validate the string's contents.
inline size_t skip_json_string(std::string_view text, size_t at) {
    for (size_t i = at + 1; i < text.size();) {
        i += json_detail::plain_run(text, i);
        if (i >= text.size()) return std::string_view::npos;
        if (text[i] == '"') return i + 1;
        i += text[i] == '\\' ? 2 : 1;  // an escape: skip the escaped character; a control or non-ASCII byte: itself
    }
    return std::string_view::npos;
}

// True when text is exactly one well-formed JSON value (surrounding white space allowed). A single pass without a
// DOM.
inline bool is_valid_json(std::string_view text) {
    return json_detail::Validator(text).run();
}

}  // namespace vigil::sdk

#endif
