// `dogwatch check list|show|add|pause|resume|delete` (SPEC §10) through the real binary against a
// running server: the ping URL alone on stdout, the table, --json, and the API's errors verbatim.
#include <doctest/doctest.h>

#include "integration/fixture.h"

using namespace dwtest;

namespace {

std::vector<std::string> Env(ApiServer& api, const std::string& key) {
  return {"DOGWATCH_URL=http://127.0.0.1:" + std::to_string(api.server().port()),
          "DOGWATCH_API_KEY=" + key};
}

CommandResult Check(ApiServer& api, std::vector<std::string> args, const std::string& key = "") {
  args.insert(args.begin(), "check");
  return RunCommand(args, "", Env(api, key.empty() ? api.project().rw_key : key));
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("cli check: add prints the ping URL alone; list and show describe the check") {
  ApiServer api;
  auto add = Check(api, {"add", "--name", "nightly backup", "--slug", "backup", "--tags", "prod db",
                         "--timeout", "1d", "--grace", "1h30m", "--desc", "pg_dump"});
  REQUIRE(add.exit_code == 0);
  REQUIRE(add.out.rfind("http://", 0) == 0);
  CHECK(add.out.find('\n') == add.out.size() - 1);  // one line: the URL
  std::string uuid = add.out.substr(add.out.rfind('/') + 1, 36);
  CHECK(Contains(add.err, "created check 'nightly backup'"));
  Json check = api.GetCheck(uuid);
  CHECK(check["slug"] == "backup");
  CHECK(check["tags"] == "prod db");
  CHECK(check["timeout"] == 86400);
  CHECK(check["grace"] == 5400);
  CHECK(check["desc"] == "pg_dump");

  auto cron = Check(api, {"add", "--name", "web", "--cron", "*/5 * * * *", "--tz", "Europe/Riga",
                          "--grace", "15m", "--json"});
  REQUIRE(cron.exit_code == 0);
  Json cron_json = Json::parse(cron.out);
  CHECK(cron_json["schedule"] == "*/5 * * * *");
  CHECK(cron_json["tz"] == "Europe/Riga");

  CHECK(api.Ping(uuid) == 200);
  auto list = Check(api, {"list"});
  REQUIRE(list.exit_code == 0);
  CHECK(Contains(list.out, "STATUS"));
  CHECK(Contains(list.out, "● up"));
  CHECK(Contains(list.out, "nightly backup"));
  CHECK(Contains(list.out, "every 1 day, grace 1 hour 30 minutes"));
  CHECK(Contains(list.out, "just now"));
  CHECK(Contains(list.out, "○ new"));
  CHECK(Contains(list.out, "*/5 * * * * Europe/Riga, grace 15 minutes"));
  CHECK(Contains(list.out, "never"));

  auto tagged = Check(api, {"list", "--tag", "prod", "--json"});
  REQUIRE(tagged.exit_code == 0);
  Json tagged_json = Json::parse(tagged.out);
  REQUIRE(tagged_json["checks"].size() == 1);
  CHECK(tagged_json["checks"][0]["uuid"] == uuid);

  auto show = Check(api, {"show", uuid});
  REQUIRE(show.exit_code == 0);
  CHECK(Contains(show.out, "ping URL   " + check["ping_url"].get<std::string>()));
  CHECK(Contains(show.out, "last pings:"));
  CHECK(Contains(show.out, "#1  success"));
  auto by_slug = Check(api, {"show", "backup", "--json"});
  REQUIRE(by_slug.exit_code == 0);
  CHECK(Json::parse(by_slug.out)["uuid"] == uuid);
}

TEST_CASE("cli check: pause, resume and delete confirm on stderr; errors as the API words them") {
  ApiServer api;
  std::string uuid = api.CreateCheck({{"name", "job"}, {"slug", "job"}, {"timeout", 3600}})["uuid"];
  auto pause = Check(api, {"pause", uuid});
  CHECK(pause.exit_code == 0);
  CHECK(pause.out.empty());
  CHECK(Contains(pause.err, "paused check 'job'"));
  CHECK(api.GetCheck(uuid)["status"] == "paused");
  CHECK(Contains(Check(api, {"list"}).out, "❚❚ paused"));

  auto resume = Check(api, {"resume", "job"});  // by slug
  CHECK(resume.exit_code == 0);
  CHECK(api.GetCheck(uuid)["status"] == "new");
  auto again = Check(api, {"resume", uuid});
  CHECK(again.exit_code == 1);
  CHECK(again.err == "dogwatch: 409 check is not paused\n");

  auto small = Check(api, {"add", "--name", "x", "--timeout", "0"});
  CHECK(small.exit_code == 1);
  CHECK(small.out.empty());
  CHECK(small.err == "dogwatch: 400 json validation error: timeout is too small\n");
  auto bad_cron = Check(api, {"add", "--name", "x", "--cron", "0 0 32 * *"});
  CHECK(bad_cron.exit_code == 1);
  CHECK(Contains(bad_cron.err, "400 json validation error: schedule"));

  auto del = Check(api, {"delete", uuid});
  CHECK(del.exit_code == 0);
  CHECK(Contains(del.err, "deleted check 'job'"));
  auto gone = Check(api, {"show", uuid});
  CHECK(gone.exit_code == 1);
  CHECK(gone.err == "dogwatch: 404 not found\n");
  auto no_slug = Check(api, {"pause", "nothing-here"});
  CHECK(no_slug.exit_code == 1);
  CHECK(Contains(no_slug.err, "no check with the UUID, slug or name 'nothing-here'"));
}

TEST_CASE("cli check: wrong keys, an unreachable server and usage errors") {
  ApiServer api;
  auto wrong = Check(api, {"list"}, "hcw_" + std::string(28, 'x'));
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.err == "dogwatch: 401 wrong api key\n");
  auto read_only = Check(api, {"add", "--name", "x"}, api.project().ro_key);
  CHECK(read_only.exit_code == 1);
  CHECK(read_only.err == "dogwatch: 401 wrong api key\n");
  auto ro_list = Check(api, {"list", "--json"}, api.project().ro_key);
  CHECK(ro_list.exit_code == 0);

  auto down = RunCommand({"check", "list", "--url", "http://127.0.0.1:1", "--api-key", "k"});
  CHECK(down.exit_code == 1);
  CHECK(Contains(down.err, "cannot reach http://127.0.0.1:1"));
  auto no_key = RunCommand({"check", "list", "--url", "http://127.0.0.1:1"});
  CHECK(no_key.exit_code == 2);
  CHECK(Contains(no_key.err, "no API key"));
  CHECK(Check(api, {"add", "--name", "x", "--timeout", "1h", "--cron", "* * * * *"}).exit_code == 2);
  CHECK(Check(api, {"add", "--name", "x", "--timeout", "soon"}).exit_code == 2);
  CHECK(Check(api, {"add", "--timeout", "1h"}).exit_code == 2);  // --name is required
  CHECK(Check(api, {"list", "--url", "ftp://x"}).exit_code == 2);
}
