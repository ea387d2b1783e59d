#include "util/json_text.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

std::string as_json(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

TEST(JsonString, EscapesQuotesBackslashesAndControls) {
    EXPECT_EQ(as_json("plain"), "\"plain\"");
    EXPECT_EQ(as_json("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(as_json("line\nbreak\ttab\r"), "\"line\\nbreak\\ttab\\r\"");
    EXPECT_EQ(as_json(std::string_view("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
}

TEST(JsonString, KeepsValidUtf8AndReplacesInvalidBytes) {
    EXPECT_EQ(as_json("Zürich 東京 😀"), "\"Zürich 東京 😀\"");
    EXPECT_EQ(as_json("bad\xff byte"), "\"bad\xEF\xBF\xBD byte\"");
    EXPECT_EQ(as_json("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // overlong encoding of '/'
    EXPECT_EQ(as_json("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a UTF-16 surrogate
    EXPECT_TRUE(is_valid_json(as_json("bad\xff\xfe")));
}

TEST(JsonString, EscapesAtEveryPositionOfALongString) {
    // The fast path scans eight bytes at a time: put each special byte at every offset across two words.
    const std::pair<std::string, std::string> specials[] = {{"\"", "\\\""},
                                                            {"\\", "\\\\"},
                                                            {"\n", "\\n"},
                                                            {std::string(1, '\x1f'), "\\u001f"},
                                                            {"é", "é"},
                                                            {"\xff", "\xEF\xBF\xBD"},
                                                            {std::string(1, '\x7f'), std::string(1, '\x7f')},
                                                            {" ", " "}};
    for (const auto& [raw, escaped] : specials) {
        for (size_t at = 0; at < 17; ++at) {
            const std::string text = std::string(at, 'a') + raw + std::string(20 - at, 'b');
            const std::string expected = "\"" + std::string(at, 'a') + escaped + std::string(20 - at, 'b') + "\"";
            EXPECT_EQ(as_json(text), expected) << "special " << escaped << " at " << at;
        }
    }
}

TEST(JsonValidation, AcceptsWellFormedValues) {
    for (const char* good : {"{}", "[]", " {\"a\":[1,2.5,-3e4,true,false,null,\"x\"]} ", "\"s\"", "0", "-0.1",
                             "[{\"n\":{\"m\":[]}}]", "{\"u\":\"\\u00e9\\n\"}"}) {
        EXPECT_TRUE(is_valid_json(good)) << good;
    }
}

TEST(JsonValidation, RejectsMalformedValues) {
    for (const char* bad : {"", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "{a:1}", "[01]", "1.", "tru", "\"open", "{} {}",
                            "[\"\\x\"]", "[\"tab\there\"]", "NaN", "[1 2]"}) {
        EXPECT_FALSE(is_valid_json(bad)) << bad;
    }
    EXPECT_FALSE(is_valid_json(std::string(1000, '[') + std::string(1000, ']'))) << "nesting is bounded";
}

TEST(JsonValidation, FindsTheEndOfAStringAtEveryOffset) {
    // Strings are scanned eight bytes a step: a quote, escape, control or invalid byte at each offset of two words.
    for (size_t at = 0; at < 17; ++at) {
        const std::string before(at, 'a');
        const std::string after(20 - at, 'b');
        EXPECT_TRUE(is_valid_json("[\"" + before + "\",\"" + after + "\"]")) << at;
        EXPECT_TRUE(is_valid_json("\"" + before + "\\\"" + after + "\"")) << at;
        EXPECT_TRUE(is_valid_json("\"" + before + "é" + after + "\"")) << at;
        EXPECT_FALSE(is_valid_json("\"" + before + "\x01" + after + "\"")) << at;
        EXPECT_FALSE(is_valid_json("\"" + before + "\xff" + after + "\"")) << at;
        EXPECT_FALSE(is_valid_json("\"" + before + "\"" + after + "\"")) << at;
    }
}

}  // namespace
}  // namespace vigil
