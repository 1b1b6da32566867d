// Email alerts end to end: the real binary, configured with [smtp], sends a check's down alert
// through a real SMTP server (aiosmtpd) over STARTTLS with AUTH.
#include <doctest/doctest.h>

#include "integration/fixture.h"
#include "integration/smtp_fixture.h"

namespace dwtest {
namespace {

TEST_CASE("notify: a down check emails its address through [smtp] (STARTTLS, AUTH, password_file)") {
  SmtpServer smtp({.mode = "starttls", .user = "alerts", .password = "s3cret pass"});
  TempDir secrets;
  WriteFile(secrets / "smtp-password", "s3cret pass\n");
  std::string config = "[checks]\nmin_timeout = \"1s\"\n"
                       "[smtp]\nhost = \"localhost\"\nport = " + std::to_string(smtp.port()) + "\n"
                       "security = \"starttls\"\nusername = \"alerts\"\n"
                       "password_file = \"" + (secrets / "smtp-password") + "\"\n"
                       "from = \"dogwatch@example.com\"\n"
                       "ca_file = \"" + smtp.ca_file() + "\"\n";
  ApiServer api(config);
  auto res = api.Post("/api/v3/channels/", api.project().rw_key,
                      Json{{"kind", "email"}, {"name", "ops"}, {"value", {{"address", "ops@example.com"}}}}.dump());
  REQUIRE(res);
  REQUIRE(res->status == 201);
  std::string channel = Json::parse(res->body)["id"];
  Json check = api.CreateCheck({{"name", "nightly backup ✓"}, {"timeout", 3600}, {"channels", channel}});
  std::string uuid = check["uuid"];
  httplib::Client client = api.server().Client();
  REQUIRE(client.Post(("/ping/" + uuid + "/fail").c_str(), "disk full\n.\nend", "text/plain")->status == 200);

  REQUIRE(Eventually([&] { return smtp.Messages().size() == 1; }, std::chrono::seconds(20)));
  nlohmann::json m = smtp.Messages()[0];
  INFO(m.dump(2));
  std::string all = m.dump();
  CHECK(all.find("ops@example.com") != std::string::npos);
  CHECK(all.find("DOWN | nightly backup ✓") != std::string::npos);  // decoded UTF-8 subject
  CHECK(all.find("disk full") != std::string::npos);                // the last ping's body
  CHECK(all.find("text/html") != std::string::npos);
  CHECK(all.find("/checks/" + uuid) != std::string::npos);          // a link to the check
  CHECK(all.find("s3cret") == std::string::npos);
}

TEST_CASE("notify: email without [smtp] fails for good and says what to set") {
  ApiServer api;
  auto res = api.Post("/api/v3/channels/", api.project().rw_key,
                      Json{{"kind", "email"}, {"value", {{"address", "ops@example.com"}}}}.dump());
  REQUIRE(res->status == 201);
  std::string channel = Json::parse(res->body)["id"];
  auto test = api.Post("/api/v3/channels/" + channel + "/test", api.project().rw_key, "");
  Json out = Json::parse(test->body);
  CHECK(out["ok"] == false);
  CHECK(out["result"] == "permanent_error");
  CHECK(out["error"].get<std::string>().find("[smtp] host") != std::string::npos);
}

}  // namespace
}  // namespace dwtest
