// Network address helpers: listen addresses ("127.0.0.1:8000", "[::1]:8000") and CIDR ranges for
// trusted_proxies. Pure; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "dogwatch/core/result.h"

namespace dogwatch {

struct HostPort {
  std::string host;  // without brackets
  int port = 0;
};
// "host:port" or "[v6]:port"; port 0..65535 (0 = any free port).
Result<HostPort> ParseHostPort(std::string_view text);
std::string FormatHostPort(const HostPort& hp);

// An IPv4 or IPv6 network. IPv4 is held as an IPv4-mapped IPv6 address so that one comparison
// serves both families.
struct Cidr {
  std::array<uint8_t, 16> addr{};
  int prefix_bits = 128;
};
// "10.0.0.0/8", "192.168.1.7", "::1", "fd00::/8".
Result<Cidr> ParseCidr(std::string_view text);
// True if the textual address ip lies in the network. False for unparsable ip.
bool CidrContains(const Cidr& net, std::string_view ip);

}  // namespace dogwatch
