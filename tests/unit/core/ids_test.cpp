#include <doctest/doctest.h>

#include <set>

#include "dogwatch/core/crypto.h"
#include "dogwatch/core/ids.h"
#include "dogwatch/core/log.h"
#include "dogwatch/core/result.h"

using namespace dogwatch;

TEST_CASE("ids: NewUuid makes distinct canonical version-4 UUIDs") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto u = NewUuid();
    REQUIRE(IsCanonicalUuid(u));
    CHECK(u[14] == '4');
    CHECK(std::string("89ab").find(u[19]) != std::string::npos);
    seen.insert(u);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("ids: IsCanonicalUuid accepts only lowercase dashed UUIDs") {
  CHECK(IsCanonicalUuid("0a1b2c3d-1111-4222-8333-444455556666"));
  CHECK_FALSE(IsCanonicalUuid("0A1B2C3D-1111-4222-8333-444455556666"));
  CHECK_FALSE(IsCanonicalUuid("0a1b2c3d111142228333444455556666"));
  CHECK_FALSE(IsCanonicalUuid("0a1b2c3d-1111-4222-8333-44445555666"));
  CHECK_FALSE(IsCanonicalUuid("0a1b2c3d-1111-4222-8333-44445555666g"));
  CHECK_FALSE(IsCanonicalUuid(""));
}

TEST_CASE("ids: random tokens use their alphabet and length") {
  auto a = RandomAlnum(28);
  CHECK(a.size() == 28);
  for (char c : a) CHECK(std::isalnum(static_cast<unsigned char>(c)));
  auto u = RandomUrlSafe(22);
  CHECK(u.size() == 22);
  for (char c : u) CHECK((std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'));
  CHECK(RandomAlnum(28) != a);
  CHECK(ShortId("0a1b2c3d-1111-4222-8333-444455556666") == "0a1b2c3d");
}

TEST_CASE("crypto: Argon2id hashes verify only the right password") {
  auto h = HashPassword("correct horse battery");
  REQUIRE(h.has_value());
  CHECK(h->rfind("$argon2id$", 0) == 0);
  CHECK(VerifyPassword("correct horse battery", *h));
  CHECK_FALSE(VerifyPassword("correct horse batterY", *h));
  CHECK(*HashPassword("correct horse battery") != *h);  // salted
}

TEST_CASE("crypto: SHA-256 of a known string") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha1Hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(ConstantTimeEqual("abc", "abc"));
  CHECK_FALSE(ConstantTimeEqual("abc", "abd"));
  CHECK_FALSE(ConstantTimeEqual("abc", "abcd"));
}

TEST_CASE("log: Quote leaves plain values and escapes the rest") {
  CHECK(log::Quote("plain") == "plain");
  CHECK(log::Quote("two words") == "\"two words\"");
  CHECK(log::Quote("") == "\"\"");
  CHECK(log::Quote("a\"b") == "\"a\\\"b\"");
  CHECK(log::Quote("line\nbreak") == "\"line\\x0abreak\"");
}

TEST_CASE("log: levels parse and filter") {
  CHECK(*log::ParseLevel("warn") == log::Level::kWarn);
  CHECK_FALSE(log::ParseLevel("loud").has_value());
  log::SetLevel(log::Level::kWarn);
  CHECK_FALSE(log::Enabled(log::Level::kInfo));
  CHECK(log::Enabled(log::Level::kError));
  log::SetLevel(log::Level::kInfo);
}

TEST_CASE("result: Fail formats the message and keeps the code") {
  Result<int> r = Fail(Errc::kNotFound, "no check {}", "abc");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == Errc::kNotFound);
  CHECK(r.error().message == "no check abc");
  Result<int> ok = 5;
  CHECK(*ok == 5);
  CHECK(std::string(ErrcName(Errc::kTooLarge)) == "too_large");
}
