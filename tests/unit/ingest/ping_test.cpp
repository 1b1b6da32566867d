// Reference §1.1-1.5 and §9 items 5, 9 and 10, as a table of URLs and what they mean.
#include <doctest/doctest.h>

#include "dogwatch/ingest/ping.h"

using namespace dogwatch;

namespace {

constexpr const char* kUuid = "0a1b2c3d-1111-4222-8333-444455556666";

RawPing Raw(std::string path) {
  RawPing r;
  r.method = "GET";
  r.path = std::move(path);
  r.peer_addr = "192.0.2.10";
  return r;
}

std::string U(const char* suffix = "") { return std::string("/ping/") + kUuid + suffix; }

}  // namespace

TEST_CASE("ingest: UUID URLs and their suffixes") {
  struct Case {
    std::string path;
    PingKind kind;
    std::optional<int> exit;
  };
  for (const auto& c : {Case{U(), PingKind::kSuccess, {}}, Case{U("/"), PingKind::kSuccess, {}},
                        Case{U("/start"), PingKind::kStart, {}}, Case{U("/fail"), PingKind::kFail, {}},
                        Case{U("/log"), PingKind::kLog, {}}, Case{U("/0"), PingKind::kSuccess, 0},
                        Case{U("/1"), PingKind::kFail, 1}, Case{U("/255"), PingKind::kFail, 255},
                        Case{U("/007"), PingKind::kFail, 7}}) {
    CAPTURE(c.path);
    auto e = Classify(Raw(c.path));
    REQUIRE(e.has_value());
    CHECK(e->uuid == kUuid);
    CHECK(e->slug.empty());
    CHECK(e->kind == c.kind);
    CHECK(e->exit_status == c.exit);
  }
}

TEST_CASE("ingest: an exit status over 255 is kept for the check lookup to refuse") {
  auto e = Classify(Raw(U("/256")));
  REQUIRE(e.has_value());
  CHECK(e->exit_status == 256);
  CHECK(Classify(Raw(U("/99999999999999999999")))->exit_status == 256);
}

TEST_CASE("ingest: slug URLs") {
  auto e = Classify(Raw("/ping/e8OcFEvXzII-dlI5b7lQW7/backup-db"));
  REQUIRE(e.has_value());
  CHECK(e->ping_key == "e8OcFEvXzII-dlI5b7lQW7");
  CHECK(e->slug == "backup-db");
  CHECK(e->uuid.empty());
  CHECK(e->kind == PingKind::kSuccess);
  CHECK(Classify(Raw("/ping/key/db_1/start"))->kind == PingKind::kStart);
  CHECK(Classify(Raw("/ping/key/db/3"))->exit_status == 3);
  // /ping/<uuid>/foo and /ping/<uuid>/-1 fall through to the slug route (§9 item 5).
  auto fall = Classify(Raw(U("/-1")));
  REQUIRE(fall.has_value());
  CHECK(fall->ping_key == kUuid);
  CHECK(fall->slug == "-1");
}

TEST_CASE("ingest: ?create=1 and nothing else turns on auto-provisioning") {
  auto r = Raw("/ping/key/new-job");
  r.create_param = "1";
  CHECK(Classify(r)->create);
  r.create_param = "true";
  CHECK_FALSE(Classify(r)->create);
  auto u = Raw(U());
  u.create_param = "1";
  CHECK_FALSE(Classify(u)->create);  // UUID URLs never create
}

TEST_CASE("ingest: URLs that match no route are 404 not found") {
  for (std::string path : {std::string("/ping/"), std::string("/ping"), U("/start/"),
                           std::string("/ping/0A1B2C3D-1111-4222-8333-444455556666"),
                           std::string("/ping/0a1b2c3d111142228333444455556666"),
                           std::string("/ping/key/slug/"), std::string("/ping/key/slug/start/x"),
                           std::string("/ping/key/slug/bogus"), std::string("/ping/ke y/slug"),
                           std::string("/ping/key/sl.ug"), std::string("/pong/") + kUuid,
                           std::string("/ping//") + kUuid}) {
    CAPTURE(path);
    auto e = Classify(Raw(path));
    REQUIRE_FALSE(e.has_value());
    CHECK(e.error().code == Errc::kNotFound);
    CHECK(e.error().message == "not found");
  }
}

TEST_CASE("ingest: an upper-case slug is 400 invalid url format") {
  auto e = Classify(Raw("/ping/key/Backup"));
  REQUIRE_FALSE(e.has_value());
  CHECK(e.error().code == Errc::kInvalidArgument);
  CHECK(e.error().message == "invalid url format");
}

TEST_CASE("ingest: rid must be a UUID in any case; it is stored lowercase") {
  auto r = Raw(U());
  r.rid_param = "AAAAAAAA-1111-4222-8333-444455556666";
  CHECK(Classify(r)->rid == "aaaaaaaa-1111-4222-8333-444455556666");
  for (const char* bad : {"", "abc", "aaaaaaaa111142228333444455556666", "gaaaaaaa-1111-4222-8333-444455556666"}) {
    CAPTURE(bad);
    r.rid_param = bad;
    auto e = Classify(r);
    REQUIRE(e.has_value());  // refused after the check lookup, by the monitor
    CHECK(e->bad_rid);
    CHECK_FALSE(e->rid.has_value());
  }
}

TEST_CASE("ingest: the body is cut to the limit and the user agent to 200 characters") {
  auto r = Raw(U());
  r.body = std::string(25000, 'x');
  r.body_limit = 10000;
  CHECK(Classify(r)->body.size() == 10000);
  r.user_agent = std::string(199, 'a') + "\xc3\xa9\xc3\xa9";           // 201 characters
  auto e = Classify(r);
  CHECK(e->ua == std::string(199, 'a') + "\xc3\xa9");
  CHECK(TruncateUtf8("h\xc3\xa9llo", 2) == "h\xc3\xa9");
  CHECK(TruncateUtf8("abc", 10) == "abc");
}

TEST_CASE("ingest: X-Forwarded-For and -Proto are believed only from trusted proxies") {
  std::vector<Cidr> trusted{*ParseCidr("127.0.0.1"), *ParseCidr("10.0.0.0/8")};
  auto r = Raw(U());
  r.forwarded_for = "203.0.113.5, 10.0.0.2";
  r.forwarded_proto = "https";
  CHECK(Classify(r)->remote_addr == "192.0.2.10");  // no trusted list at all
  r.trusted_proxies = &trusted;
  CHECK(Classify(r)->remote_addr == "192.0.2.10");  // peer not trusted
  CHECK(Classify(r)->scheme == "http");
  r.peer_addr = "10.1.2.3";
  CHECK(Classify(r)->remote_addr == "203.0.113.5");
  CHECK(Classify(r)->scheme == "https");
  r.forwarded_for = "203.0.113.7:4455";
  CHECK(Classify(r)->remote_addr == "203.0.113.7");
  r.forwarded_for = "2001:db8::1";
  CHECK(Classify(r)->remote_addr == "2001:db8::1");
  r.forwarded_for = "";
  CHECK(Classify(r)->remote_addr == "10.1.2.3");
}

TEST_CASE("ingest: filters - exit status, then methods, then keywords overriding the URL") {
  PingEvent e;
  e.method = "GET";
  PingFilters none;
  e.kind = PingKind::kFail;
  e.exit_status = 3;
  CHECK(ApplyFilters(none, e) == PingKind::kFail);

  PingFilters post_only;
  post_only.methods = "POST";
  CHECK(ApplyFilters(post_only, e) == PingKind::kIgnored);  // even /fail with GET (§9 item 9)
  e.method = "POST";
  CHECK(ApplyFilters(post_only, e) == PingKind::kFail);

  PingFilters kw;
  kw.filter_http_body = true;
  kw.success_kw = "all good, OK ";
  kw.failure_kw = "ERROR";
  kw.start_kw = "starting";
  e = PingEvent{};
  e.kind = PingKind::kFail;
  e.body = "backup: all good";
  CHECK(ApplyFilters(kw, e) == PingKind::kSuccess);  // /fail reclassified (§9 item 10)
  e.kind = PingKind::kLog;
  CHECK(ApplyFilters(kw, e) == PingKind::kSuccess);
  e.body = "ERROR but all good";
  CHECK(ApplyFilters(kw, e) == PingKind::kFail);  // failure keywords first
  e.body = "starting now";
  CHECK(ApplyFilters(kw, e) == PingKind::kStart);
  e.body = "error, lowercase";
  CHECK(ApplyFilters(kw, e) == PingKind::kIgnored);  // case-sensitive; no match -> ign
  kw.filter_default_fail = true;
  CHECK(ApplyFilters(kw, e) == PingKind::kFail);
}

TEST_CASE("ingest: MatchKeywords trims and skips empty keywords") {
  CHECK(MatchKeywords("xx OK yy", " OK ,"));
  CHECK_FALSE(MatchKeywords("anything", ""));
  CHECK_FALSE(MatchKeywords("anything", " , ,"));
  CHECK(MatchKeywords("a,b", "q, b"));
}
