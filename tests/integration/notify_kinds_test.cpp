// Every HTTP channel kind, end to end: the real binary sends a test alert to a real local
// receiver standing in for the service (through the kind's URL or api_url), and the request
// arrives with the method, path and body format that service expects.
#include <doctest/doctest.h>

#include "integration/fixture.h"
#include "integration/receiver.h"

namespace dwtest {
namespace {

struct KindCase {
  std::string kind;
  Json value;                // with "$RX" standing for the receiver's base URL
  std::string method;
  std::string path_prefix;   // what the request's path starts with
  std::string content_type;  // what the Content-Type header starts with
  std::string body_needle;   // a fragment of the body
  size_t requests = 1;       // incident services get a trigger and its resolve for a test
};

Json WithReceiver(Json value, const std::string& base) {
  for (auto& [key, v] : value.items()) {
    if (v.is_string() && v.get<std::string>().rfind("$RX", 0) == 0)
      v = base + v.get<std::string>().substr(3);
  }
  return value;
}

TEST_CASE("notify kinds: a test alert reaches every HTTP service in its own format") {
  const std::vector<KindCase> cases = {
      {"slack", {{"url", "$RX/services/T0/B0/x"}}, "POST", "/services/T0/B0/x", "application/json", "\"attachments\""},
      {"discord", {{"url", "$RX/api/webhooks/1/x"}}, "POST", "/api/webhooks/1/x/slack", "application/json", "\"attachments\""},
      {"mattermost", {{"url", "$RX/hooks/x"}}, "POST", "/hooks/x", "application/json", "\"attachments\""},
      {"rocketchat", {{"url", "$RX/hooks/r"}}, "POST", "/hooks/r", "application/json", "\"attachments\""},
      {"msteamsw", {{"url", "$RX/workflows/t"}}, "POST", "/workflows/t", "application/json", "AdaptiveCard"},
      {"telegram", {{"bot_token", "1:T"}, {"chat_id", "-100"}, {"api_url", "$RX"}}, "POST", "/bot1:T/sendMessage", "application/json", "\"parse_mode\":\"HTML\""},
      {"ntfy", {{"url", "$RX"}, {"topic", "alerts"}}, "POST", "/", "application/json", "\"topic\":\"alerts\""},
      {"gotify", {{"url", "$RX"}, {"token", "gtok"}}, "POST", "/message?token=gtok", "application/json", "\"priority\""},
      {"po", {{"user_key", "u1"}, {"app_token", "a1"}, {"api_url", "$RX"}}, "POST", "/1/messages.json", "application/x-www-form-urlencoded", "user=u1"},
      {"matrix", {{"homeserver", "$RX"}, {"access_token", "m1"}, {"room_id", "!room:example.org"}}, "PUT", "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/", "application/json", "\"formatted_body\""},
      {"pd", {{"routing_key", "rk1"}, {"api_url", "$RX"}}, "POST", "/v2/enqueue", "application/json", "\"event_action\":\"trigger\"", 2},
      {"opsgenie", {{"api_key", "og1"}, {"api_url", "$RX"}}, "POST", "/v2/alerts", "application/json", "\"alias\"", 2},
      {"zulip", {{"site", "$RX"}, {"bot_email", "bot@example.org"}, {"api_key", "z1"}, {"to", "ops"}}, "POST", "/api/v1/messages", "application/x-www-form-urlencoded", "type=stream"},
  };
  Receiver rx;
  ApiServer api;
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    Json spec = {{"kind", c.kind}, {"name", c.kind}, {"value", WithReceiver(c.value, rx.Url(""))}};
    auto created = api.Post("/api/v3/channels/", api.project().rw_key, spec.dump());
    REQUIRE(created);
    INFO(created->body);
    REQUIRE(created->status == 201);
    std::string uuid = Json::parse(created->body)["id"];
    size_t before = rx.Count();
    auto res = api.Post("/api/v3/channels/" + uuid + "/test", api.project().rw_key, "");
    REQUIRE(res);
    INFO(res->body);
    CHECK(Json::parse(res->body)["ok"] == true);
    REQUIRE(rx.Count() == before + c.requests);
    ReceivedRequest r = rx.Requests()[before];
    CHECK(r.method == c.method);
    CHECK(r.path.rfind(c.path_prefix, 0) == 0);
    CHECK(r.Header("Content-Type").rfind(c.content_type, 0) == 0);
    CHECK(r.body.find(c.body_needle) != std::string::npos);
    CHECK(r.Header("User-Agent").rfind("dogwatch/", 0) == 0);
  }
}

}  // namespace
}  // namespace dwtest
