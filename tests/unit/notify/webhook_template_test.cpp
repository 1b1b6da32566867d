#include "dogwatch/notify/webhook_template.h"

#include <doctest/doctest.h>

#include <chrono>

namespace dogwatch {
namespace {

using std::chrono::minutes;

TimePoint At(const char* iso) { return *ParseIso(iso); }

Alert MakeAlert() {
  Alert a;
  a.check.uuid = "6b2e1a2c-4f3d-4b6a-9c1e-2d3f4a5b6c7d";
  a.check.name = "nightly backup";
  a.check.slug = "nightly-backup";
  a.check.tags = "prod db";
  a.status = CheckStatus::kDown;
  a.reason = "timeout";
  // Microseconds that $NOW must drop.
  a.flip_time = At("2026-11-24T10:00:00Z") + std::chrono::microseconds(123456);
  Ping p;
  p.created = a.flip_time - minutes(5);
  p.kind = PingKind::kFail;
  p.body = "line 1\n\"quoted\"";
  p.exit_status = 3;
  a.last_ping = p;
  a.check_json = R"({"name": "nightly backup", "tags": "prod db"})";
  return a;
}

std::string Body(std::string_view t, const Alert& a) {
  return ExpandTemplate(t, a, TemplateField::kBody);
}
std::string Url(std::string_view t, const Alert& a) {
  return ExpandTemplate(t, a, TemplateField::kUrl);
}
std::string Header(std::string_view t, const Alert& a) {
  return ExpandTemplate(t, a, TemplateField::kHeader);
}

TEST_CASE("webhook template: every variable in a body") {
  Alert a = MakeAlert();
  CHECK(Body("$CODE", a) == "6b2e1a2c-4f3d-4b6a-9c1e-2d3f4a5b6c7d");
  CHECK(Body("$STATUS", a) == "down");
  CHECK(Body("$NOW", a) == "2026-11-24T10:00:00+00:00");
  CHECK(Body("$NAME", a) == "nightly backup");
  CHECK(Body("$NAME_JSON", a) == "\"nightly backup\"");
  CHECK(Body("$SLUG", a) == "nightly-backup");
  CHECK(Body("$TAGS", a) == "prod db");
  CHECK(Body("$TAG1/$TAG2", a) == "prod/db");
  CHECK(Body("$JSON", a) == a.check_json);
  CHECK(Body("$BODY", a) == "line 1\n\"quoted\"");
  CHECK(Body("$BODY_JSON", a) == R"("line 1\n\"quoted\"")");
  CHECK(Body("$EXITSTATUS", a) == "3");
  a.status = CheckStatus::kUp;
  CHECK(Body("$STATUS", a) == "up");
}

TEST_CASE("webhook template: a JSON body template comes out as valid JSON") {
  Alert a = MakeAlert();
  a.check.name = "say \"hi\"\\ \xC3\xA9";
  std::string out = Body(R"({"name": $NAME_JSON, "body": $BODY_JSON, "status": "$STATUS"})", a);
  CHECK(out ==
        R"({"name": "say \"hi\"\\ \u00e9", "body": "line 1\n\"quoted\"", "status": "down"})");
}

TEST_CASE(
    "webhook template: *_JSON is Python's json.dumps: ASCII, lowercase \\u, surrogate pairs") {
  Alert a = MakeAlert();
  a.check.name = "Z\xC3\xBCrich \xF0\x9F\x9A\x80 \x01\x7F\t";
  CHECK(Body("$NAME_JSON", a) == R"("Z\u00fcrich \ud83d\ude80 \u0001\u007f\t")");
}

TEST_CASE("webhook template: URL fields percent-encode like urllib.parse.quote (safe='/')") {
  Alert a = MakeAlert();
  a.check.name = "a b/c?d&e=\xC3\xA9~_.-";
  a.check.tags = "x+y z";
  CHECK(Url("$NOW", a) == "2026-11-24T10%3A00%3A00%2B00%3A00");
  CHECK(Url("$NAME", a) == "a%20b/c%3Fd%26e%3D%C3%A9~_.-");
  CHECK(Url("$NAME_JSON", a) == "%22a%20b/c%3Fd%26e%3D%5Cu00e9~_.-%22");
  CHECK(Url("$TAGS", a) == "x%2By%20z");
  CHECK(Url("$TAG1,$TAG2", a) == "x%2By,z");
  CHECK(Url("$JSON", a).find("%7B%22name%22%3A%20%22nightly%20backup%22") == 0);
  // Inserted as they are.
  CHECK(Url("$CODE/$STATUS/$SLUG/$EXITSTATUS", a) ==
        "6b2e1a2c-4f3d-4b6a-9c1e-2d3f4a5b6c7d/down/nightly-backup/3");
  CHECK(Url("https://x.example/?s=$STATUS&n=$NAME", a) ==
        "https://x.example/?s=down&n=a%20b/c%3Fd%26e%3D%C3%A9~_.-");
}

TEST_CASE("webhook template: $BODY and $BODY_JSON stay literal outside a body") {
  Alert a = MakeAlert();
  CHECK(Url("https://x.example/?b=$BODY&j=$BODY_JSON", a) ==
        "https://x.example/?b=$BODY&j=$BODY_JSON");
  CHECK(Header("$BODY $BODY_JSON", a) == "$BODY $BODY_JSON");
  CHECK(Header("$EXITSTATUS", a) == "3");  // everything else works in headers
  CHECK(Header("$NAME_JSON", a) == "\"nightly backup\"");
}

TEST_CASE("webhook template: headers are coerced to Latin-1 with &#NNN; for the rest") {
  Alert a = MakeAlert();
  a.check.name = "Caf\xC3\xA9 \xE2\x98\x83 \xF0\x9F\x98\x80";  // é, snowman, emoji
  CHECK(Header("$NAME", a) == "Caf\xE9 &#9731; &#128512;");
  CHECK(Header("\xE2\x82\xAC $STATUS", a) == "&#8364; down");  // the template's own text too
  // Not percent-encoded, and never a header break.
  a.check.name = "a b\r\nX-Injected: 1";
  CHECK(Header("$NAME", a) == "a b  X-Injected: 1");
}

TEST_CASE("webhook template: $NAME_JSON wins over $NAME; the rest of a segment stays") {
  Alert a = MakeAlert();
  CHECK(Body("$NAME_JSON", a) == "\"nightly backup\"");
  CHECK(Body("$NAMEX", a) == "nightly backupX");
  CHECK(Body("$NAME_JSONX", a) == "\"nightly backup\"X");
  CHECK(Body("$NAME_", a) == "nightly backup_");
  CHECK(Body("$BODY_JSON$BODY", a) == "\"line 1\\n\\\"quoted\\\"\"line 1\n\"quoted\"");
}

TEST_CASE("webhook template: substituted values are never expanded again") {
  Alert a = MakeAlert();
  a.check.name = "$CODE costs $5 $NAME";
  a.check.tags = "$STATUS";
  CHECK(Body("$NAME", a) == "$CODE costs $5 $NAME");
  CHECK(Body("$TAG1 $TAGS", a) == "$STATUS $STATUS");
  CHECK(Url("$NAME", a) == "%24CODE%20costs%20%245%20%24NAME");
  a.check.name = "n";
  CHECK(Body("$$NAME", a) == "$n");
  CHECK(Body("cost: $", a) == "cost: $");
  CHECK(Body("$UNKNOWN $name $", a) == "$UNKNOWN $name $");
  CHECK(Body("", a) == "");
  CHECK(Body("no variables", a) == "no variables");
}

TEST_CASE(
    "webhook template: TAGn counts from 1 in order and $TAG10 matches $TAG1 first, as "
    "Healthchecks") {
  Alert a = MakeAlert();
  a.check.tags = "a b c d e f g h i j";
  CHECK(Body("$TAG1", a) == "a");
  CHECK(Body("$TAG9", a) == "i");
  // Healthchecks' dict holds $TAG1 before $TAG10 and takes the first prefix match, so the tenth
  // tag cannot be reached: "$TAG10" is the first tag followed by "0".
  CHECK(Body("$TAG10", a) == "a0");
  CHECK(Body("$TAG11", a) == "a1");
  a.check.tags = "  a   b ";
  CHECK(Body("$TAG1|$TAG2|$TAG3", a) == "a|b|$TAG3");
  a.check.tags = "";
  CHECK(Body("$TAG1|$TAGS|", a) == "$TAG1||");
}

TEST_CASE("webhook template: $EXITSTATUS is -1 without a last ping or without an exit status") {
  Alert a = MakeAlert();
  a.last_ping->exit_status = 0;
  CHECK(Body("$EXITSTATUS", a) == "0");
  a.last_ping->exit_status.reset();
  CHECK(Body("$EXITSTATUS", a) == "-1");
  a.last_ping.reset();
  CHECK(Body("$EXITSTATUS", a) == "-1");
  CHECK(Body("[$BODY] $BODY_JSON", a) == "[] \"\"");
}

TEST_CASE("webhook template: the body is decoded lossily") {
  Alert a = MakeAlert();
  a.last_ping->body = "ok \xFF\xFE end";
  CHECK(Body("$BODY", a) == "ok \xEF\xBF\xBD\xEF\xBF\xBD end");
  CHECK(Body("$BODY_JSON", a) == R"("ok \ufffd\ufffd end")");
}

}  // namespace
}  // namespace dogwatch
