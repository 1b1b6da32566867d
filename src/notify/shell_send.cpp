#include "shell_send.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

extern char** environ;

namespace dogwatch::notify_internal {
namespace {

constexpr size_t kKeepOutput = 1000;
constexpr int kExTempFail = 75;

std::string Tail(const std::string& s) {
  std::string out = s.size() > kKeepOutput ? s.substr(s.size() - kKeepOutput) : s;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

SendOutcome RunShell(const std::string& command, std::chrono::seconds timeout) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return SendOutcome::Transient(fmt::format("pipe: {}", std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, out[1], 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so a timeout can kill the whole pipeline; default signal handling,
  // since dogwatch blocks SIGTERM/SIGINT/SIGHUP in every thread and the mask is inherited.
  sigset_t none, all_default;
  sigemptyset(&none);
  sigemptyset(&all_default);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGXFSZ}) sigaddset(&all_default, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all_default);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    return SendOutcome::Transient(fmt::format("cannot run /bin/sh: {}", std::strerror(rc)));
  }

  std::string output;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    char buf[4096];
    ssize_t got = read(out[0], buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;  // every writer closed its end: the command is done (or detached)
    output.append(buf, static_cast<size_t>(got));
    if (output.size() > 4 * kKeepOutput) output.erase(0, output.size() - kKeepOutput);
  }
  close(out[0]);
  if (timed_out) kill(-pid, SIGKILL);
  int status = 0;
  // The pipe can close before the shell exits; its exit is then a moment away. A command that
  // closed its output and kept running is killed at the deadline.
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      timed_out = true;
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    usleep(10000);
  }
  if (timed_out) return SendOutcome::Transient(fmt::format("command timed out after {} s", timeout.count()));
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return SendOutcome::Delivered();
  std::string why = WIFEXITED(status) ? fmt::format("command exited with status {}", WEXITSTATUS(status))
                                      : fmt::format("command killed by signal {}", WTERMSIG(status));
  std::string tail = Tail(output);
  if (!tail.empty()) why += ": " + tail;
  if (WIFEXITED(status) && WEXITSTATUS(status) == kExTempFail) return SendOutcome::Transient(why);
  return SendOutcome::Permanent(why);
}

}  // namespace dogwatch::notify_internal
