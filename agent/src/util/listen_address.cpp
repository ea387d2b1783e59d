#include "util/listen_address.hpp"

#include <charconv>

namespace vigil {

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
    const size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return std::nullopt;
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.front() == '[') {
        if (host.size() < 3 || host.back() != ']') return std::nullopt;
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return std::nullopt;  // an IPv6 address needs its brackets: [::1]:9750
    }
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port > 65535) return std::nullopt;
    ListenAddress address{std::string(host), static_cast<uint16_t>(port), false};
    address.loopback = host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
    return address;
}

}  // namespace vigil
