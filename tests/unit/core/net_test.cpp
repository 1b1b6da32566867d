#include <doctest/doctest.h>

#include "dogwatch/core/net.h"

using namespace dogwatch;

TEST_CASE("net: ParseHostPort reads IPv4, names and bracketed IPv6") {
  auto a = ParseHostPort("127.0.0.1:8000");
  REQUIRE(a.has_value());
  CHECK(a->host == "127.0.0.1");
  CHECK(a->port == 8000);
  auto b = ParseHostPort("[::1]:0");
  REQUIRE(b.has_value());
  CHECK(b->host == "::1");
  CHECK(b->port == 0);
  CHECK(FormatHostPort(*b) == "[::1]:0");
  CHECK(ParseHostPort("localhost:80")->host == "localhost");
}

TEST_CASE("net: ParseHostPort rejects bad ports and shapes") {
  for (const char* s : {"127.0.0.1:70000", "127.0.0.1:-1", "127.0.0.1:", "127.0.0.1", ":8000",
                        "::1:8000", "[::1]8000", "127.0.0.1:80x", "[::1"}) {
    CAPTURE(s);
    CHECK_FALSE(ParseHostPort(s).has_value());
  }
  CHECK(ParseHostPort("127.0.0.1:70000").error().message.find("0-65535") != std::string::npos);
}

TEST_CASE("net: CIDR ranges match addresses of their family") {
  auto v4 = ParseCidr("10.0.0.0/8");
  REQUIRE(v4.has_value());
  CHECK(CidrContains(*v4, "10.1.2.3"));
  CHECK_FALSE(CidrContains(*v4, "11.0.0.1"));
  CHECK_FALSE(CidrContains(*v4, "::1"));
  auto host = ParseCidr("127.0.0.1");
  CHECK(CidrContains(*host, "127.0.0.1"));
  CHECK_FALSE(CidrContains(*host, "127.0.0.2"));
  auto v6 = ParseCidr("fd00::/8");
  CHECK(CidrContains(*v6, "fd12:3456::1"));
  CHECK_FALSE(CidrContains(*v6, "fe80::1"));
  CHECK(CidrContains(*ParseCidr("0.0.0.0/0"), "8.8.8.8"));
  CHECK_FALSE(CidrContains(*v4, "not an ip"));
}

TEST_CASE("net: ParseCidr rejects junk and oversized prefixes") {
  for (const char* s : {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0/8", "host.example", "10.0.0.0/a"}) {
    CAPTURE(s);
    CHECK_FALSE(ParseCidr(s).has_value());
  }
}
