// `dogwatch run -- CMD...` against a real server (what the check records) and against a Receiver
// (the exact URLs, and monitors that refuse or never answer).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "integration/fixture.h"
#include "integration/receiver.h"

using namespace dwtest;
using namespace std::chrono_literals;

namespace {

const std::string kUuid = "0f8e1c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

std::string BaseUrl(ApiServer& api) {
  return "http://127.0.0.1:" + std::to_string(api.server().port());
}

Json Pings(ApiServer& api, const std::string& uuid) {
  auto res = api.Get("/api/v3/checks/" + uuid + "/pings/", api.project().rw_key);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return Json::parse(res->body)["pings"];  // newest first
}

std::string PingBody(ApiServer& api, const std::string& uuid, int n) {
  auto res = api.Get("/api/v3/checks/" + uuid + "/pings/" + std::to_string(n) + "/body",
                     api.project().rw_key);
  REQUIRE(res);
  return res->status == 200 ? res->body : "";
}

// "/ping/<uuid>/start?rid=<rid>" -> "<rid>".
std::string RidOf(const std::string& path) {
  auto at = path.find("rid=");
  return at == std::string::npos ? "" : path.substr(at + 4, 36);
}

// A port on 127.0.0.1 that refuses connections: bound for the test's life, never listening.
class RefusingPort {
 public:
  RefusingPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~RefusingPort() { close(fd_); }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Starts `dogwatch args...` in the background with stdout and stderr to files, so the test can
// signal it.
int Spawn(const std::vector<std::string>& args, const std::string& out_path,
          const std::string& err_path) {
  std::vector<std::string> argv_s{BinaryPath()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

// Exit status (128+N for signal N), or -1 after the deadline (then the process is killed).
int WaitExit(int pid, std::chrono::seconds deadline) {
  int status = 0;
  bool done = Eventually([&] { return waitpid(pid, &status, WNOHANG) == pid; }, deadline);
  if (!done) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

double SecondsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("cli run: a successful job sends start then success with one rid and its output") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  auto r = RunCommand({"run", "--url", BaseUrl(api), "--uuid", u, "--", "sh", "-c",
                       "echo hello; echo oops >&2; exit 0"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "hello\n");  // passed through unchanged, nothing added
  CHECK(r.err == "oops\n");
  auto pings = Pings(api, u);
  REQUIRE(pings.size() == 2);
  CHECK(pings[1]["type"] == "start");
  CHECK(pings[0]["type"] == "success");
  CHECK(pings[0]["method"] == "POST");
  REQUIRE(pings[0]["rid"].is_string());
  CHECK(pings[0]["rid"] == pings[1]["rid"]);
  CHECK(pings[0].contains("duration"));  // the server paired the finish with the start
  std::string body = PingBody(api, u, pings[0]["n"]);
  CHECK(body.find("hello\n") != std::string::npos);
  CHECK(body.find("oops\n") != std::string::npos);
  CHECK(api.GetCheck(u)["status"] == "up");
}

TEST_CASE("cli run: a failing job reports its exit status and run exits with it") {
  Receiver rx;
  auto r = RunCommand(
      {"run", "--url", rx.Url(""), "--uuid", kUuid, "--", "sh", "-c", "echo bad; exit 3"});
  CHECK(r.exit_code == 3);
  CHECK(r.out == "bad\n");
  auto reqs = rx.Requests();
  REQUIRE(reqs.size() == 2);
  std::string rid = RidOf(reqs[0].path);
  CHECK(reqs[0].path == "/ping/" + kUuid + "/start?rid=" + rid);
  CHECK(reqs[1].path == "/ping/" + kUuid + "/3?rid=" + rid);
  CHECK(reqs[1].method == "POST");
  CHECK(reqs[1].body == "bad\n");

  SUBCASE("against a server the check goes down with a failure") {
    ApiServer api;
    std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
    auto r2 = RunCommand({"run", "--url", BaseUrl(api), "--uuid", u, "--", "sh", "-c", "exit 3"});
    CHECK(r2.exit_code == 3);
    auto pings = Pings(api, u);
    REQUIRE(pings.size() == 2);
    CHECK(pings[0]["type"] == "fail");
    CHECK(api.GetCheck(u)["status"] == "down");
  }
}

TEST_CASE("cli run: a command that cannot be executed exits 127 or 126 and reports it") {
  Receiver rx;
  auto r =
      RunCommand({"run", "--url", rx.Url(""), "--uuid", kUuid, "--", "no-such-command-dw", "x"});
  CHECK(r.exit_code == 127);
  std::string why =
      "dogwatch run: cannot execute 'no-such-command-dw': No such file or directory\n";
  CHECK(r.err == why);
  auto reqs = rx.Requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].path.starts_with("/ping/" + kUuid + "/start?rid="));
  CHECK(reqs[1].path.starts_with("/ping/" + kUuid + "/127?rid="));
  CHECK(reqs[1].body == why);

  TempDir dir;
  WriteFile(dir / "script", "#!/bin/sh\necho hi\n");  // not executable
  auto r2 = RunCommand({"run", "--url", rx.Url(""), "--uuid", kUuid, "--", dir / "script"});
  CHECK(r2.exit_code == 126);
  CHECK(r2.err.find("Permission denied") != std::string::npos);
  REQUIRE(rx.WaitFor(4));
  CHECK(rx.Requests()[3].path.starts_with("/ping/" + kUuid + "/126?rid="));
}

TEST_CASE("cli run: a job killed by signal N exits 128+N and reports 128+N") {
  Receiver rx;
  auto r =
      RunCommand({"run", "--url", rx.Url(""), "--uuid", kUuid, "--", "sh", "-c", "kill -TERM $$"});
  CHECK(r.exit_code == 143);
  auto reqs = rx.Requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[1].path.starts_with("/ping/" + kUuid + "/143?rid="));
}

TEST_CASE("cli run: SIGTERM sent to run reaches the job, and run exits with the job's status") {
  Receiver rx;
  TempDir io;
  int pid =
      Spawn({"run", "--url", rx.Url(""), "--uuid", kUuid, "--", "sh", "-c",
             "trap 'echo got-term; kill $! 2>/dev/null; exit 7' TERM; echo ready; sleep 30 & wait"},
            io / "out", io / "err");
  REQUIRE(Eventually([&] { return ReadFile(io / "out").find("ready") != std::string::npos; }, 20s));
  kill(pid, SIGTERM);
  CHECK(WaitExit(pid, 60s) == 7);
  CHECK(ReadFile(io / "out") == "ready\ngot-term\n");
  REQUIRE(rx.WaitFor(2));
  CHECK(rx.Requests()[1].path.starts_with("/ping/" + kUuid + "/7?rid="));

  SUBCASE("a job that ignores SIGTERM is waited for, not killed") {
    int pid2 = Spawn({"run", "--url", rx.Url(""), "--uuid", kUuid, "--", "sh", "-c",
                      "trap '' TERM; echo ready; sleep 1; echo finished"},
                     io / "out2", io / "err2");
    REQUIRE(
        Eventually([&] { return ReadFile(io / "out2").find("ready") != std::string::npos; }, 20s));
    kill(pid2, SIGTERM);
    CHECK(WaitExit(pid2, 60s) == 0);
    CHECK(ReadFile(io / "out2") == "ready\nfinished\n");
  }
}

TEST_CASE("cli run: the body is the last --tail-kb KiB of the output, capped by Ping-Body-Limit") {
  ApiServer api;
  std::string u = api.CreateCheck({{"name", "job"}})["uuid"];
  auto Seq = [](int n) {
    std::string s;
    for (int i = 1; i <= n; ++i) s += std::to_string(i) + "\n";
    return s;
  };
  std::string all = Seq(3000);  // 13,893 bytes
  auto r = RunCommand(
      {"run", "--url", BaseUrl(api), "--uuid", u, "--tail-kb", "1", "--", "seq", "1", "3000"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == all);  // the output itself is never cut
  auto pings = Pings(api, u);
  CHECK(PingBody(api, u, pings[0]["n"]) == all.substr(all.size() - 1024));

  // The default 10 KiB is more than the server keeps (10,000 bytes): its end is what is sent.
  r = RunCommand({"run", "--url", BaseUrl(api), "--uuid", u, "--", "seq", "1", "3000"});
  CHECK(r.exit_code == 0);
  pings = Pings(api, u);
  CHECK(PingBody(api, u, pings[0]["n"]) == all.substr(all.size() - 10000));
}

TEST_CASE("cli run: a monitor that is down neither blocks the job nor changes its status") {
  RefusingPort port;
  auto began = std::chrono::steady_clock::now();
  auto r = RunCommand({"run", "--url", port.Url(), "--uuid", kUuid, "--timeout", "2", "--", "sh",
                       "-c", "echo still-ran; exit 5"});
  CHECK(SecondsSince(began) < 30);  // two pings of at most 2 s each
  CHECK(r.exit_code == 5);
  CHECK(r.out == "still-ran\n");
  CHECK(r.err.find("dogwatch run: could not reach http://127.0.0.1:") != std::string::npos);
  CHECK(r.err.find("connection refused") != std::string::npos);
  CHECK(r.err.find(kUuid) == std::string::npos);  // the UUID is a secret: only its start is shown
  CHECK(r.err.find(kUuid.substr(0, 8) + "...") != std::string::npos);
}

TEST_CASE("cli run: a monitor that never answers holds run no longer than --timeout per ping") {
  Receiver rx;
  rx.HangOn("/ping/");
  auto began = std::chrono::steady_clock::now();
  auto r = RunCommand({"run", "--url", rx.Url(""), "--uuid", kUuid, "--timeout", "2", "--", "sh",
                       "-c", "echo ran; exit 4"});
  CHECK(SecondsSince(began) < 30);
  CHECK(r.exit_code == 4);
  CHECK(r.out == "ran\n");
  CHECK(r.err.find("dogwatch run: could not reach") != std::string::npos);
  rx.Release();
}

TEST_CASE("cli run: slugs with the ping key, and full ping URLs") {
  ApiServer api;
  auto r = RunCommand({"run", "--url", BaseUrl(api), "--ping-key", api.project().ping_key, "--slug",
                       "nightly", "--create", "--", "true"});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "");
  auto list = api.Get("/api/v3/checks/?slug=nightly", api.project().rw_key);
  REQUIRE(list);
  auto checks = Json::parse(list->body)["checks"];
  REQUIRE(checks.size() == 1);
  CHECK(checks[0]["n_pings"] == 2);

  // The ping key from the environment, as a crontab's variables would give it.
  r = RunCommand({"run", "--slug", "nightly", "--", "true"}, "",
                 {"DOGWATCH_URL=" + BaseUrl(api), "DOGWATCH_PING_KEY=" + api.project().ping_key});
  CHECK(r.exit_code == 0);
  CHECK(r.err == "");

  Receiver rx;
  r = RunCommand({"run", "--ping-url", rx.Url("/hc/" + kUuid), "--rid", kUuid, "--", "true"});
  CHECK(r.exit_code == 0);
  auto reqs = rx.Requests();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].path == "/hc/" + kUuid + "/start?rid=" + kUuid);
  CHECK(reqs[1].path == "/hc/" + kUuid + "/0?rid=" + kUuid);
}

TEST_CASE("cli run: usage errors exit 2, name the flag and do not run the job") {
  TempDir dir;
  std::string marker = dir / "ran";
  struct Case {
    std::vector<std::string> args;
    std::string flag;
  };
  for (const auto& c : {
           Case{{}, "--uuid"},
           Case{{"--uuid", kUuid}, "--url"},
           Case{{"--url", "http://127.0.0.1:1", "--uuid", "not-a-uuid"}, "--uuid"},
           Case{{"--url", "http://127.0.0.1:1", "--slug", "nightly"}, "--ping-key"},
           Case{{"--url", "127.0.0.1:1", "--uuid", kUuid}, "--url"},
           Case{{"--url", "http://127.0.0.1:1", "--uuid", kUuid, "--rid", "x"}, "--rid"},
           Case{{"--url", "http://127.0.0.1:1", "--uuid", kUuid, "--slug", "s"}, "--slug"},
       }) {
    std::vector<std::string> args{"run"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.insert(args.end(), {"--", "touch", marker});
    CAPTURE(c.flag);
    auto r = RunCommand(args);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.flag) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(marker));
  }
  CHECK(RunCommand({"run", "--url", "http://127.0.0.1:1", "--uuid", kUuid}).exit_code ==
        2);  // no CMD
}
