#include "util/json_checker.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vigil {
namespace {

TEST(JsonChecker, AcceptsWellFormedValues) {
    JsonChecker checker;
    for (const char* good : {"{}", "[]", " {\"a\":[1,2.5,-3e4,true,false,null,\"x\"]} ", "\"s\"", "0", "-0.1",
                             "{\"u\":\"\\u00e9\\n\",\"city\":\"São Paulo 東京\"}"}) {
        EXPECT_TRUE(checker.valid(good)) << good;
    }
}

TEST(JsonChecker, RejectsMalformedValues) {
    JsonChecker checker;
    for (const char* bad : {"", "{", "[1,]", "{\"a\"}", "{\"a\":1,}", "{a:1}", "[01]", "1.", "tru", "\"open", "{} {}",
                            "[\"\\x\"]", "[\"tab\there\"]", "NaN", "[1 2]", "[\"bad \xff byte\"]"}) {
        EXPECT_FALSE(checker.valid(bad)) << bad;
    }
}

TEST(JsonChecker, AcceptsValidJsonSimdjsonCannotRepresent) {
    JsonChecker checker;
    EXPECT_TRUE(checker.valid("{\"big\":1e400}")) << "a number beyond a double is still valid JSON";
    EXPECT_TRUE(checker.valid("[123456789012345678901234567890]"));
}

TEST(JsonChecker, AnswersEachTextOnItsOwnAfterAFailure) {
    JsonChecker checker;
    EXPECT_FALSE(checker.valid("{\"a\":"));
    EXPECT_TRUE(checker.valid("{\"a\":1}")) << "the parser's state from a failed text does not leak";
    EXPECT_FALSE(checker.valid("{\"a\":1}x"));
}

}  // namespace
}  // namespace vigil
