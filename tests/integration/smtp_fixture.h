// SmtpServer: tests/integration/smtp_server.py (aiosmtpd, Debian's python3-aiosmtpd) running in
// the background in its own temporary directory, with a throwaway CA made by the openssl CLI.
// Each accepted message is kept as JSON (envelope, TLS, AUTH, raw data, parsed parts). Killed on
// destruction. Single-threaded use per test.
#pragma once

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "integration/harness.h"

namespace dwtest {

inline const std::string kSmtpScript = std::string(DOGWATCH_SOURCE_DIR) + "/tests/integration/smtp_server.py";

struct SmtpServerOptions {
  std::string mode = "plain";  // see smtp_server.py
  std::string user;
  std::string password;
  bool only_login = false;
  bool auth_in_clear = false;
  std::string reject;
  std::string cert = "server";  // "other": a certificate for other.example
};

// smtp_server.py in the background, in its own temporary directory. Killed on destruction.
class SmtpServer {
 public:
  explicit SmtpServer(SmtpServerOptions o = {}) {
    std::filesystem::create_directories(dir_ / "certs");
    std::filesystem::create_directories(dir_ / "spool");
    auto certs = RunProgram({"/usr/bin/python3", kSmtpScript, "certs", dir_ / "certs"});
    REQUIRE_MESSAGE(certs.exit_code == 0, certs.err);
    std::vector<std::string> argv = {
        "/usr/bin/python3", kSmtpScript,       "serve",  "--spool", dir_ / "spool",
        "--port-file",      dir_ / "port", "--mode", o.mode,    "--certs",
        dir_ / "certs",     "--cert",      o.cert};
    if (!o.user.empty()) argv.insert(argv.end(), {"--user", o.user, "--password", o.password});
    if (o.only_login) argv.push_back("--only-login");
    if (o.auth_in_clear) argv.push_back("--auth-in-clear");
    if (!o.reject.empty()) argv.insert(argv.end(), {"--reject", o.reject});
    Spawn(argv);
    bool up = Eventually([&] { return std::filesystem::exists(dir_ / "port") || Exited(); },
                         std::chrono::seconds(20));
    REQUIRE_MESSAGE((up && !Exited()), "smtp_server.py did not start: ", Log());
    port_ = std::stoi(ReadFile(dir_ / "port"));
  }
  ~SmtpServer() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  int port() const { return port_; }
  std::string ca_file() const { return dir_ / "certs/ca.pem"; }
  std::string Log() const { return ReadFile(dir_ / "log"); }

  // Every message the server accepted, in order of arrival.
  std::vector<nlohmann::json> Messages() const {
    std::vector<nlohmann::json> messages;
    for (int n = 1;; ++n) {
      std::string path = dir_ / ("spool/" + std::to_string(n) + ".json");
      if (!std::filesystem::exists(path)) return messages;
      messages.push_back(nlohmann::json::parse(ReadFile(path)));
    }
  }

 private:
  void Spawn(std::vector<std::string> argv_s) {
    std::string log = dir_ / "log";
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a crashed test
      // Only async-signal-safe calls here; stdio would flush the parent's buffered output twice.
      int out = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (out < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0) _exit(126);
      char path_env[] = "PATH=/usr/bin:/bin";
      char* envp[] = {path_env, nullptr};
      execve(argv[0], argv.data(), envp);
      _exit(127);
    }
  }
  bool Exited() {
    int status;
    if (pid_ > 0 && waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
    return pid_ < 0;
  }

  TempDir dir_;
  int pid_ = -1;
  int port_ = 0;
};

}  // namespace dwtest
