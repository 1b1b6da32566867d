#include "integration/harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace dwtest {
namespace {

namespace fs = std::filesystem;

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits up to timeout for pid; -2 while still running at the deadline.
int WaitPid(int pid, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    int r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return DecodeStatus(status);
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() >= end) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// fork + exec of argv_s (a full command line) with stdin from a file and stdout/stderr to files.
int SpawnProgram(std::vector<std::string> argv_s, const std::vector<std::string>& env,
                 const std::string& in_path, const std::string& out_path, const std::string& err_path) {
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  // A clean, predictable environment: PATH and TZ, plus what the test asks for.
  std::vector<std::string> env_s{"PATH=/usr/bin:/bin", "HOME=/tmp"};
  env_s.insert(env_s.end(), env.begin(), env.end());
  std::vector<char*> envp;
  for (auto& e : env_s) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

// The dogwatch binary with args, behind an optional wrapper command.
int Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
          const std::string& in_path, const std::string& out_path, const std::string& err_path,
          const std::vector<std::string>& wrapper = {}) {
  std::vector<std::string> argv_s = wrapper;
  argv_s.push_back(BinaryPath());
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  return SpawnProgram(std::move(argv_s), env, in_path, out_path, err_path);
}

}  // namespace

// Waits for pid (killing it after timeout) and reads what it wrote into io.
static CommandResult Collect(int pid, const TempDir& io, std::chrono::seconds timeout) {
  CommandResult result;
  result.exit_code = WaitPid(pid, timeout);
  if (result.exit_code == -2) {
    kill(pid, SIGKILL);
    WaitPid(pid, std::chrono::seconds(5));
    result.exit_code = -1;
  }
  result.out = ReadFile(io / "stdout");
  result.err = ReadFile(io / "stderr");
  return result;
}

CommandResult RunProgram(std::vector<std::string> argv, std::chrono::seconds timeout) {
  TempDir io;
  WriteFile(io / "stdin", "");
  int pid = SpawnProgram(std::move(argv), {}, io / "stdin", io / "stdout", io / "stderr");
  return Collect(pid, io, timeout);
}

TempDir::TempDir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto p = fs::temp_directory_path() / ("dogwatch-test-" + std::to_string(rd()));
    if (fs::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string BinaryPath() {
  if (const char* env = std::getenv("DOGWATCH_BINARY"); env && *env) return env;
  return DOGWATCH_BINARY;
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CommandResult RunCommand(std::vector<std::string> args, std::string stdin_text,
                         std::vector<std::string> env, std::chrono::seconds timeout,
                         std::vector<std::string> wrapper) {
  TempDir io;
  WriteFile(io / "stdin", stdin_text);
  fs::permissions(io.path(), fs::perms::all);  // a wrapper may drop to another user
  int pid = Spawn(args, env, io / "stdin", io / "stdout", io / "stderr", wrapper);
  return Collect(pid, io, timeout);
}

Server::Server() : Server(Options{}) {}

Server::Server(Options options) {
  data_dir_ = options.data_dir.empty() ? dir_ / "data" : options.data_dir;
  std::string config = dir_ / "dogwatch.toml";
  WriteFile(config, options.config_toml);
  WriteFile(dir_ / "stdin", "");
  std::vector<std::string> args{"serve",       "--config",    config,
                                "--listen",    "127.0.0.1:0", "--port-file",
                                dir_ / "port", "--data-dir",  data_dir_};
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  pid_ = Spawn(args, options.env, dir_ / "stdin", dir_ / "stdout", dir_ / "stderr");
  if (!options.wait_ready) return;

  bool ready = Eventually([&] {
    if (!Running()) return true;  // exited: report below
    auto text = ReadFile(dir_ / "port");
    if (text.empty()) return false;
    port_ = std::stoi(text);
    auto res = Client().Get("/api/v3/status");
    return res && res->status == 200;
  });
  if (!ready || !Running())
    throw std::runtime_error("dogwatch did not become ready; its log:\n" + Log());
}

Server::~Server() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    WaitPid(pid_, std::chrono::seconds(5));
  }
}

httplib::Client Server::Client() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(5);
  c.set_read_timeout(10);
  return c;
}

std::string Server::Log() const { return ReadFile(dir_ / "stderr"); }

bool Server::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  int r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  exit_status_ = DecodeStatus(status);
  pid_ = -1;
  return false;
}

int Server::Wait(std::chrono::seconds timeout) {
  if (pid_ <= 0) return exit_status_;
  int code = WaitPid(pid_, timeout);
  if (code == -2) {
    kill(pid_, SIGKILL);
    WaitPid(pid_, std::chrono::seconds(5));
    code = -1;
  }
  pid_ = -1;
  exit_status_ = code;
  return code;
}

int Server::Stop(int sig, std::chrono::seconds timeout) {
  if (pid_ > 0) kill(pid_, sig);
  return Wait(timeout);
}

}  // namespace dwtest
