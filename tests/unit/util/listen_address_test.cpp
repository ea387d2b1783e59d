#include "util/listen_address.hpp"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(ListenAddress, HostAndPortWithIpv6InBrackets) {
    const auto v4 = parse_listen_address("127.0.0.1:9750");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->host, "127.0.0.1");
    EXPECT_EQ(v4->port, 9750);
    EXPECT_TRUE(v4->loopback);
    const auto v6 = parse_listen_address("[::1]:0");
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->host, "::1");
    EXPECT_EQ(v6->port, 0);
    EXPECT_TRUE(v6->loopback);
    EXPECT_TRUE(parse_listen_address("localhost:1")->loopback);
    EXPECT_FALSE(parse_listen_address("0.0.0.0:9750")->loopback);
    EXPECT_FALSE(parse_listen_address("[::]:9750")->loopback);
    EXPECT_FALSE(parse_listen_address("10.1.2.3:80")->loopback);
}

TEST(ListenAddress, RefusesWhatIsNotHostColonPort) {
    for (const char* text :
         {"", "9750", ":9750", "host:", "host:65536", "host:-1", "host:80x", "::1:9750", "[::1:9750", "[]:80"}) {
        EXPECT_FALSE(parse_listen_address(text)) << text;
    }
}

}  // namespace
}  // namespace vigil
