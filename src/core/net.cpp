#include "dogwatch/core/net.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace dogwatch {
namespace {

bool ToV6(std::string_view text, std::array<uint8_t, 16>& out, bool& was_v4) {
  std::string s(text);
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out.fill(0);
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    was_v4 = true;
    return true;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    was_v4 = false;
    return true;
  }
  return false;
}

}  // namespace

Result<HostPort> ParseHostPort(std::string_view text) {
  HostPort hp;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return Fail(Errc::kInvalidArgument, "'{}' is not host:port (IPv6 is written [::1]:8000)", text);
    hp.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
      return Fail(Errc::kInvalidArgument, "'{}' is not host:port (e.g. 127.0.0.1:8000)", text);
    hp.host = std::string(text.substr(0, colon));
    if (hp.host.find(':') != std::string::npos)
      return Fail(Errc::kInvalidArgument, "'{}': write IPv6 addresses in brackets, [::1]:8000", text);
    port_text = text.substr(colon + 1);
  }
  int port = -1;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535)
    return Fail(Errc::kInvalidArgument, "port '{}' is out of range 0-65535", port_text);
  if (hp.host.empty()) return Fail(Errc::kInvalidArgument, "'{}' has an empty host", text);
  hp.port = port;
  return hp;
}

std::string FormatHostPort(const HostPort& hp) {
  if (hp.host.find(':') != std::string::npos) return "[" + hp.host + "]:" + std::to_string(hp.port);
  return hp.host + ":" + std::to_string(hp.port);
}

Result<Cidr> ParseCidr(std::string_view text) {
  Cidr net;
  auto slash = text.find('/');
  std::string_view addr = text.substr(0, slash);
  bool v4 = false;
  if (!ToV6(addr, net.addr, v4))
    return Fail(Errc::kInvalidArgument, "'{}' is not an IP address or CIDR range", text);
  int max_bits = v4 ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    std::string_view b = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(b.data(), b.data() + b.size(), bits);
    if (b.empty() || ec != std::errc() || end != b.data() + b.size() || bits < 0 || bits > max_bits)
      return Fail(Errc::kInvalidArgument, "'{}': prefix length must be 0-{}", text, max_bits);
  }
  net.prefix_bits = v4 ? bits + 96 : bits;
  return net;
}

bool CidrContains(const Cidr& net, std::string_view ip) {
  std::array<uint8_t, 16> a{};
  bool v4 = false;
  if (!ToV6(ip, a, v4)) return false;
  int bits = net.prefix_bits;
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - bits));
    if ((a[i] & mask) != (net.addr[i] & mask)) return false;
  }
  return true;
}

}  // namespace dogwatch
