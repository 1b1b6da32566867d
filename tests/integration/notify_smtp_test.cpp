// SendMail against a real SMTP server: aiosmtpd (tests/integration/smtp_server.py) in plain,
// STARTTLS and implicit-TLS modes with AUTH, plus servers that misbehave. Certificates come
// from a throwaway CA made with the openssl CLI for each server.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "dogwatch/notify/smtp.h"
#include "integration/harness.h"
#include "integration/smtp_fixture.h"

namespace dwtest {
namespace {

using dogwatch::MailMessage;
using dogwatch::SendOutcome;
using dogwatch::SendResult;
using dogwatch::SmtpSecurity;
using dogwatch::SmtpSettings;
using Json = nlohmann::json;

SmtpSettings Settings(const SmtpServer& server, SmtpSecurity security) {
  SmtpSettings s;
  s.host = "127.0.0.1";
  s.port = server.port();
  s.security = security;
  s.from = "dogwatch@example.com";
  s.helo_name = "dogwatch.test";
  s.connect_timeout = std::chrono::seconds(5);
  s.timeout = std::chrono::seconds(20);
  return s;
}

MailMessage Alert(std::vector<std::string> to = {"ops@example.com"}) {
  MailMessage m;
  m.to = std::move(to);
  m.subject = "DOWN | nightly-backup";
  m.text = "nightly-backup is DOWN.\nLast ping: 2 hours ago.\n";
  m.html = "<p><b>nightly-backup</b> is DOWN.</p>\n";
  m.headers = {{"X-Dogwatch-Check", "nightly-backup"}};
  return m;
}

dogwatch::TimePoint Now() {
  return std::chrono::time_point_cast<dogwatch::Micros>(std::chrono::system_clock::now());
}

SendOutcome Send(const SmtpSettings& settings, const MailMessage& message = Alert()) {
  return dogwatch::SendMail(settings, message, Now());
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A port on 127.0.0.1 where nothing listens (it was free a moment ago).
int DeadPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// Sets an environment variable for one scope (each CTest case runs in its own process).
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_, old_->c_str(), 1);
    else
      unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST_CASE("smtp: plain delivery arrives with its envelope, headers and both parts") {
  SmtpServer server;
  SendOutcome out =
      Send(Settings(server, SmtpSecurity::kNone), Alert({"a@example.com", "b@example.com"}));
  REQUIRE_MESSAGE(out.ok(), out.error);
  auto messages = server.Messages();
  REQUIRE(messages.size() == 1);
  const Json& m = messages[0];
  CHECK(m["mail_from"] == "dogwatch@example.com");
  CHECK(m["rcpt_tos"] == Json::array({"a@example.com", "b@example.com"}));
  CHECK(m["tls"] == false);
  CHECK(m["auth"].is_null());
  CHECK(m["subject"] == "DOWN | nightly-backup");
  CHECK(m["from"] == "dogwatch@example.com");
  CHECK(m["to"] == "a@example.com, b@example.com");
  CHECK(m["content_type"] == "multipart/alternative");
  CHECK(m["text"] == "nightly-backup is DOWN.\nLast ping: 2 hours ago.\n");
  CHECK(m["html"] == "<p><b>nightly-backup</b> is DOWN.</p>\n");
  CHECK(m["defects"].empty());
  CHECK(Contains(m["message_id"], "@example.com>"));
  CHECK(Contains(m["raw"], "\r\nX-Dogwatch-Check: nightly-backup\r\n"));
  CHECK(std::string(m["raw"]).starts_with("Date: "));
}

TEST_CASE("smtp: STARTTLS then AUTH PLAIN, the certificate trusted through ca_file") {
  SmtpServer server({.mode = "starttls", .user = "alice", .password = "s3cret"});
  SmtpSettings s = Settings(server, SmtpSecurity::kStartTls);
  s.host = "localhost";  // verified as a DNS name, sent as SNI
  s.ca_file = server.ca_file();
  s.username = "alice";
  s.password = "s3cret";
  SendOutcome out = Send(s);
  REQUIRE_MESSAGE(out.ok(), out.error);
  auto messages = server.Messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["tls"] == true);
  CHECK(messages[0]["auth"] == Json::array({"PLAIN", "alice"}));
}

TEST_CASE("smtp: AUTH LOGIN when the server offers only LOGIN") {
  SmtpServer server(
      {.mode = "starttls", .user = "bob", .password = "pa ss:w0rd", .only_login = true});
  SmtpSettings s = Settings(server, SmtpSecurity::kStartTls);
  s.ca_file = server.ca_file();
  s.username = "bob";
  s.password = "pa ss:w0rd";
  SendOutcome out = Send(s);
  REQUIRE_MESSAGE(out.ok(), out.error);
  auto messages = server.Messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["auth"] == Json::array({"LOGIN", "bob"}));
}

TEST_CASE("smtp: implicit TLS with AUTH, the certificate checked for an IP address") {
  SmtpServer server({.mode = "tls", .user = "alice", .password = "s3cret"});
  SmtpSettings s = Settings(server, SmtpSecurity::kTls);
  s.ca_file = server.ca_file();
  s.username = "alice";
  s.password = "s3cret";
  SendOutcome out = Send(s);
  REQUIRE_MESSAGE(out.ok(), out.error);
  auto messages = server.Messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["tls"] == true);
  CHECK(messages[0]["auth"] == Json::array({"PLAIN", "alice"}));
}

TEST_CASE("smtp: a wrong password is permanent and quotes the server's reply") {
  SmtpServer server({.mode = "starttls", .user = "alice", .password = "s3cret"});
  SmtpSettings s = Settings(server, SmtpSecurity::kStartTls);
  s.ca_file = server.ca_file();
  s.username = "alice";
  s.password = "wrong";
  SendOutcome out = Send(s);
  CHECK(out.result == SendResult::kPermanent);
  CHECK_MESSAGE(Contains(out.error, "smtp: AUTH PLAIN: 535"), out.error);
  CHECK_FALSE(Contains(out.error, "wrong"));
  CHECK(server.Messages().empty());
}

TEST_CASE("smtp: an untrusted certificate fails verification, transiently") {
  SmtpServer server({.mode = "tls"});
  SendOutcome out = Send(Settings(server, SmtpSecurity::kTls));  // no ca_file
  CHECK(out.result == SendResult::kTransient);
  CHECK_MESSAGE(Contains(out.error, "certificate verification failed"), out.error);
  CHECK(server.Messages().empty());
}

TEST_CASE("smtp: a trusted certificate for another host is refused") {
  SmtpServer server({.mode = "starttls", .cert = "other"});
  SmtpSettings s = Settings(server, SmtpSecurity::kStartTls);
  s.ca_file = server.ca_file();
  SendOutcome out = Send(s);
  CHECK(out.result == SendResult::kTransient);
  CHECK_MESSAGE(Contains(out.error, "mismatch"), out.error);
  CHECK(server.Messages().empty());
}

TEST_CASE("smtp: SSL_CERT_FILE is honoured as the system CA store") {
  SmtpServer server({.mode = "starttls"});
  ScopedEnv env("SSL_CERT_FILE", server.ca_file());
  SendOutcome out = Send(Settings(server, SmtpSecurity::kStartTls));
  REQUIRE_MESSAGE(out.ok(), out.error);
  CHECK(server.Messages().size() == 1);
}

TEST_CASE("smtp: STARTTLS asked for but not offered: nothing is sent in clear") {
  SmtpServer server;  // plain: no STARTTLS in EHLO
  SendOutcome out = Send(Settings(server, SmtpSecurity::kStartTls));
  CHECK(out.result == SendResult::kPermanent);
  CHECK_MESSAGE(Contains(out.error, "does not offer STARTTLS"), out.error);
  CHECK(server.Messages().empty());
}

TEST_CASE("smtp: AUTH in clear only with security none, as the admin chose") {
  SmtpServer server({.user = "alice", .password = "s3cret", .auth_in_clear = true});
  SmtpSettings s = Settings(server, SmtpSecurity::kNone);
  s.username = "alice";
  s.password = "s3cret";
  SendOutcome out = Send(s);
  REQUIRE_MESSAGE(out.ok(), out.error);
  auto messages = server.Messages();
  REQUIRE(messages.size() == 1);
  CHECK(messages[0]["auth"] == Json::array({"PLAIN", "alice"}));
}

TEST_CASE("smtp: a username with a server that offers no AUTH is permanent") {
  SmtpServer server;  // plain, AUTH only after TLS, which it does not have
  SmtpSettings s = Settings(server, SmtpSecurity::kNone);
  s.username = "alice";
  s.password = "s3cret";
  SendOutcome out = Send(s);
  CHECK(out.result == SendResult::kPermanent);
  CHECK_MESSAGE(Contains(out.error, "does not offer AUTH"), out.error);
}

TEST_CASE("smtp: a server that never answers returns a transient error at the deadline") {
  SmtpServer server({.mode = "silent"});
  SmtpSettings s = Settings(server, SmtpSecurity::kStartTls);
  s.timeout = std::chrono::seconds(2);
  SendOutcome out = Send(s);
  CHECK(out.result == SendResult::kTransient);
  CHECK_MESSAGE(Contains(out.error, "smtp: greeting: timed out"), out.error);

  s.security = SmtpSecurity::kTls;  // silent in the middle of the TLS handshake
  out = Send(s);
  CHECK(out.result == SendResult::kTransient);
  CHECK_MESSAGE(Contains(out.error, "timed out"), out.error);
}

TEST_CASE("smtp: a dead port is transient") {
  SmtpSettings s;
  s.host = "127.0.0.1";
  s.port = DeadPort();
  SendOutcome out = Send(s);
  CHECK(out.result == SendResult::kTransient);
  CHECK_MESSAGE(Contains(out.error, "smtp: connect to 127.0.0.1:"), out.error);
}

TEST_CASE("smtp: servers that speak garbage, never end a line or hang up are transient") {
  for (std::string mode : {"garbage", "hugeline", "close"}) {
    CAPTURE(mode);
    SmtpServer server({.mode = mode});
    SmtpSettings s = Settings(server, SmtpSecurity::kNone);
    s.timeout = std::chrono::seconds(5);
    SendOutcome out = Send(s);
    CHECK(out.result == SendResult::kTransient);
    if (mode == "garbage") CHECK_MESSAGE(Contains(out.error, "not an SMTP reply"), out.error);
    if (mode == "hugeline") CHECK_MESSAGE(Contains(out.error, "longer than"), out.error);
    if (mode == "close") CHECK_MESSAGE(Contains(out.error, "closed"), out.error);
  }
}

TEST_CASE("smtp: leading dots, very long lines and UTF-8 arrive intact") {
  SmtpServer server({.mode = "starttls"});
  SmtpSettings s = Settings(server, SmtpSecurity::kStartTls);
  s.ca_file = server.ca_file();
  s.from = "Dögwatch <dogwatch@example.com>";
  MailMessage m = Alert();
  m.subject = "DOWN | sauvegarde de l'été ✓ 🐶 " + std::string(120, 'x');
  std::string long_line;
  for (int i = 0; i < 500; ++i) long_line += "mot" + std::to_string(i) + "=é ";
  m.text = ".\n.hidden\n..two dots\nend with space \n" + long_line + "\n" + std::string(5000, '.') +
           "\nçà et là 😀\n.";
  m.html = "<p>.\n.leading</p>\n<pre>" + long_line + "</pre>\n";
  SendOutcome out = Send(s, m);
  REQUIRE_MESSAGE(out.ok(), out.error);
  auto messages = server.Messages();
  REQUIRE(messages.size() == 1);
  const Json& got = messages[0];
  CHECK(got["subject"] == m.subject);
  CHECK(got["from"] == "Dögwatch <dogwatch@example.com>");
  CHECK(got["text"] == m.text);
  CHECK(got["html"] == m.html);
  CHECK(got["defects"].empty());
  CHECK_MESSAGE(std::string(got["longest_line"]).size() <= 78, got["longest_line"]);
}

TEST_CASE("smtp: a rejected recipient is permanent, quotes the reply and sends to nobody") {
  SmtpServer server({.reject = "nobody"});
  SendOutcome out =
      Send(Settings(server, SmtpSecurity::kNone), Alert({"ops@example.com", "nobody@example.com"}));
  CHECK(out.result == SendResult::kPermanent);
  CHECK(out.error == "smtp: RCPT TO <nobody@example.com>: 550 5.1.1 no such user");
  CHECK(server.Messages().empty());
}

TEST_CASE("smtp: an address that could inject commands is refused before connecting") {
  SmtpSettings s;
  s.host = "127.0.0.1";
  s.port = DeadPort();
  SendOutcome out = Send(s, Alert({"ops@example.com>\r\nRCPT TO:<evil@example.com"}));
  CHECK(out.result == SendResult::kPermanent);
  CHECK(Contains(out.error, "invalid recipient address"));
}

TEST_CASE("smtp: no host configured is permanent") {
  SendOutcome out = Send(SmtpSettings{});
  CHECK(out.result == SendResult::kPermanent);
}

TEST_CASE("smtp: threads send at once, each on its own connection") {
  SmtpServer server({.mode = "starttls", .user = "alice", .password = "s3cret"});
  SmtpSettings s = Settings(server, SmtpSecurity::kStartTls);
  s.ca_file = server.ca_file();
  s.username = "alice";
  s.password = "s3cret";
  std::vector<SendOutcome> outcomes(6);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < outcomes.size(); ++i)
    threads.emplace_back(
        [&, i] { outcomes[i] = Send(s, Alert({"ops" + std::to_string(i) + "@example.com"})); });
  for (auto& t : threads) t.join();
  for (const SendOutcome& out : outcomes) CHECK_MESSAGE(out.ok(), out.error);
  CHECK(server.Messages().size() == outcomes.size());
}

}  // namespace
}  // namespace dwtest
