// Integration harness: runs the real dogwatch binary. RunCommand() runs one CLI command to
// completion; Server starts `dogwatch serve` on port 0 with a temporary data directory, waits for
// /api/v3/status, and stops it with a signal. Single-threaded use per test.
#pragma once

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace dwtest {

struct CommandResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out;
  std::string err;
};

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Path of the dogwatch binary under test (DOGWATCH_BINARY at build time, or $DOGWATCH_BINARY).
std::string BinaryPath();

// Runs `dogwatch args...` with stdin_text on standard input and `env` ("NAME=value") added to a
// clean environment. Kills it after `timeout`.
// `wrapper` goes before the binary (e.g. setpriv to drop root).
CommandResult RunCommand(std::vector<std::string> args, std::string stdin_text = "",
                         std::vector<std::string> env = {},
                         std::chrono::seconds timeout = std::chrono::seconds(60),
                         std::vector<std::string> wrapper = {});

// Runs any program (argv[0] is its path) to completion.
CommandResult RunProgram(std::vector<std::string> argv,
                         std::chrono::seconds timeout = std::chrono::seconds(60));

void WriteFile(const std::string& path, const std::string& text);
std::string ReadFile(const std::string& path);

class Server {
 public:
  struct Options {
    std::string config_toml;             // written to <dir>/dogwatch.toml and passed as --config
    std::vector<std::string> extra_args;  // appended to `serve ...`
    std::vector<std::string> env;
    std::string data_dir;                // default: <dir>/data
    bool wait_ready = true;
  };
  Server();
  explicit Server(Options options);
  ~Server();  // SIGKILLs a server still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  int pid() const { return pid_; }
  httplib::Client Client() const;
  const std::string& data_dir() const { return data_dir_; }
  const TempDir& dir() const { return dir_; }
  // Everything the server wrote to stderr so far.
  std::string Log() const;
  bool Running();

  // Sends sig and waits for exit; returns the exit status (128+N if killed by signal N), or -1 if
  // it did not exit within `timeout` (then it is SIGKILLed).
  int Stop(int sig = 15, std::chrono::seconds timeout = std::chrono::seconds(10));
  // Waits for the process to exit on its own; same return convention as Stop().
  int Wait(std::chrono::seconds timeout = std::chrono::seconds(10));

 private:
  TempDir dir_;
  std::string data_dir_;
  int pid_ = -1;
  int port_ = 0;
  int exit_status_ = -1;  // once the process has been reaped
};

// Polls pred every 20 ms until it holds or the deadline passes; returns its last value.
template <typename Pred>
bool Eventually(Pred pred, std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

}  // namespace dwtest
