// Badges (reference §4.1) through real HTTP: the URL list, the three formats, status
// aggregation per tag, two- and three-state variants, and signatures that cannot be guessed.
#include <doctest/doctest.h>

#include "integration/fixture.h"

using namespace dwtest;

namespace {

std::string PathOf(const std::string& url) {
  auto scheme = url.find("://");
  return url.substr(url.find('/', scheme + 3));
}

}  // namespace

TEST_CASE("badges: URLs for every tag, each format, two and three states") {
  ApiServer api;
  const auto& key = api.project().rw_key;
  api.CreateCheck({{"name", "db backup"}, {"tags", "prod db"}, {"timeout", 1}, {"grace", 1}});
  Json web = api.CreateCheck({{"name", "web"}, {"tags", "prod"}, {"timeout", 86400}});
  auto list = api.Get("/api/v3/badges/", api.project().ro_key);
  REQUIRE(list->status == 200);
  Json badges = Json::parse(list->body)["badges"];
  for (const char* tag : {"*", "prod", "db"}) {
    REQUIRE(badges.contains(tag));
    for (const char* f : {"svg", "svg3", "json", "json3", "shields", "shields3"})
      CHECK_MESSAGE(badges[tag].contains(f), tag << " " << f);
  }
  CHECK(badges.size() == 3);
  CHECK(badges["prod"]["svg"].get<std::string>().find("-2/prod.svg") != std::string::npos);
  CHECK(badges["*"]["json3"].get<std::string>().find("/prod") == std::string::npos);

  auto get = [&](const std::string& url) { return api.server().Client().Get(PathOf(url).c_str()); };
  auto svg = get(badges["prod"]["svg3"]);
  REQUIRE(svg->status == 200);
  CHECK(svg->get_header_value("Content-Type") == "image/svg+xml");
  CHECK(svg->get_header_value("Access-Control-Allow-Origin") == "*");
  CHECK(svg->get_header_value("Cache-Control").find("no-cache") != std::string::npos);
  CHECK(svg->body.find(">prod</text>") != std::string::npos);
  CHECK(svg->body.find(">up</text>") != std::string::npos);
  CHECK(Json::parse(get(badges["db"]["json3"])->body) == Json{{"status", "up"}, {"total", 1}, {"grace", 0}, {"down", 0}});
  CHECK(Json::parse(get(badges["*"]["shields"])->body) ==
        Json{{"schemaVersion", 1}, {"label", "dogwatch"}, {"message", "up"}, {"color", "success"}});

  // The db check goes down: its tag and "*" say so, the other tag does not.
  std::string uuid = Json::parse(api.Get("/api/v3/checks/?tag=db", key)->body)["checks"][0]["uuid"];
  REQUIRE(api.Ping(uuid) == 200);
  REQUIRE(Eventually([&] { return api.GetCheck(uuid)["status"] == "down"; }, std::chrono::seconds(15)));
  CHECK(Json::parse(get(badges["db"]["json"])->body)["status"] == "down");
  CHECK(Json::parse(get(badges["*"]["json3"])->body) == Json{{"status", "down"}, {"total", 2}, {"grace", 0}, {"down", 1}});
  CHECK(Json::parse(get(badges["*"]["shields3"])->body)["color"] == "critical");
  CHECK(Json::parse(get(badges["prod"]["json"])->body)["status"] == "down");

  // Single-check badges: the URL the check object carries.
  auto one = api.server().Client().Get(PathOf(web["badge_url"]).c_str());
  REQUIRE(one->status == 200);
  CHECK(one->body.find(">web</text>") != std::string::npos);
  std::string shields_url = PathOf(web["badge_url"]);
  shields_url.replace(shields_url.rfind(".svg"), 4, ".shields");
  CHECK(Json::parse(api.server().Client().Get(shields_url.c_str())->body)["message"] == "up");
}

TEST_CASE("badges: a wrong signature, tag, key or format is 404") {
  ApiServer api;
  api.CreateCheck({{"name", "x"}, {"tags", "prod"}});
  Json badges = Json::parse(api.Get("/api/v3/badges/", api.project().ro_key)->body)["badges"];
  std::string good = PathOf(badges["prod"]["svg3"]);
  auto status = [&](std::string path) { return api.server().Client().Get(path.c_str())->status; };
  CHECK(status(good) == 200);
  std::string other_tag = good;
  other_tag.replace(other_tag.find("/prod.svg"), 9, "/db.svg");
  CHECK(status(other_tag) == 404);  // the signature is per tag
  std::string bad_sig = good;
  size_t sig_at = bad_sig.rfind("/prod.svg") - 8;
  bad_sig[sig_at] = bad_sig[sig_at] == 'A' ? 'B' : 'A';
  CHECK(status(bad_sig) == 404);
  std::string bad_fmt = good;
  bad_fmt.replace(bad_fmt.rfind(".svg"), 4, ".png");
  CHECK(status(bad_fmt) == 404);
  CHECK(status("/b/2/00000000-0000-4000-8000-000000000000.svg") == 404);
  CHECK(api.Get("/api/v3/badges/", "")->status == 401);
}
