#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Where a server listens: "127.0.0.1:9750", "[::1]:9750", "0.0.0.0:9750", "localhost:9750" (port 0: any free one).
struct ListenAddress {
    std::string host;  // without brackets
    uint16_t port = 0;
    bool loopback = false;  // 127.0.0.0/8, ::1 or localhost: unreachable from other machines
};

// nullopt when the text is not HOST:PORT with a port from 0 to 65535.
std::optional<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace vigil
