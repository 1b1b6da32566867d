#include <doctest/doctest.h>

#include "dogwatch/core/crypto.h"
#include "http/badges.h"

using namespace dogwatch;
using namespace dogwatch::http_internal;

TEST_CASE("badges: signatures are Django's base64_hmac, so Healthchecks' badge URLs carry over") {
  // Expected values from Python: urlsafe_b64encode(hmac(sha1(salt + secret), value, sha1)).strip("=")
  CHECK(DjangoBase64Hmac("2cb2a6af-ed08-42e3-ad8d-d5110d10645c", "prod", "s3cret") == "YhGZd92gSaNC3mS2cKq0K9Ilmh4");
  CHECK(DjangoBase64Hmac("alice", "*", "---") == "6SKpySaJBti6o5OiMBlg9zGRStE");
  CHECK(BadgeSignature("alice", "*", "---", /*with_late=*/true) == "6SKpySaJ");
  CHECK(BadgeSignature("alice", "*", "---", /*with_late=*/false) == "6SKpySaJ-2");
}

TEST_CASE("badges: any down is down; grace is late only on three-state badges") {
  CHECK(Aggregate({.total = 3, .grace = 0, .down = 0}, true) == BadgeStatus::kUp);
  CHECK(Aggregate({.total = 3, .grace = 1, .down = 0}, true) == BadgeStatus::kLate);
  CHECK(Aggregate({.total = 3, .grace = 1, .down = 0}, false) == BadgeStatus::kUp);
  CHECK(Aggregate({.total = 3, .grace = 1, .down = 1}, false) == BadgeStatus::kDown);
  CHECK(Aggregate({}, true) == BadgeStatus::kUp);  // no checks: up, as Healthchecks says
}

TEST_CASE("badges: the SVG escapes its label and names the status; JSON shapes match reference 4.1") {
  std::string svg = BadgeSvg("<db & \"x\">", BadgeStatus::kDown);
  CHECK(svg.find("<db") == std::string::npos);
  CHECK(svg.find("&lt;db &amp; &quot;x&quot;&gt;") != std::string::npos);
  CHECK(svg.find(">down</text>") != std::string::npos);
  CHECK(svg.find("#e05d44") != std::string::npos);
  CHECK(BadgeJson(BadgeStatus::kLate, {.total = 2, .grace = 1, .down = 0}).dump() ==
        R"({"status":"late","total":2,"grace":1,"down":0})");
  CHECK(ShieldsJson("prod", BadgeStatus::kUp).dump() ==
        R"({"schemaVersion":1,"label":"prod","message":"up","color":"success"})");
}
