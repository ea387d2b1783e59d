#include "util/json_text.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

std::string quoted(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

TEST(JsonString, EscapesQuotesBackslashesAndControls) {
    EXPECT_EQ(quoted("plain"), "\"plain\"");
    EXPECT_EQ(quoted("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(quoted("line\nbreak\ttab\r"), "\"line\\nbreak\\ttab\\r\"");
    EXPECT_EQ(quoted(std::string_view("\x01\x1f", 2)), "\"\\u0001\\u001f\"");
}

TEST(JsonString, KeepsValidUtf8AndReplacesInvalidBytes) {
    EXPECT_EQ(quoted("Zürich 東京 😀"), "\"Zürich 東京 😀\"");
    EXPECT_EQ(quoted("bad\xff byte"), "\"bad\xEF\xBF\xBD byte\"");
    EXPECT_EQ(quoted("\xC0\xAF"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                  // overlong encoding of '/'
    EXPECT_EQ(quoted("\xED\xA0\x80"), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");  // a UTF-16 surrogate
    EXPECT_TRUE(is_valid_json(quoted("bad\xff\xfe")));
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

}  // namespace
}  // namespace vigil
