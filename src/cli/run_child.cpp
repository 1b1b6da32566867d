#include "run_child.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace dogwatch::cli {
namespace {

using Clock = std::chrono::steady_clock;

// After the job exits, how long output may still arrive from processes it left behind that hold
// its stdout or stderr open; then we stop reading, so a daemon started by the job cannot hold us.
constexpr std::chrono::milliseconds kDrainAfterExit{2'000};
constexpr size_t kReadChunk = 64 * 1024;

// Where the job's stdout and stderr go: our fd 1 or 2, read from a pipe.
struct Stream {
  int pipe_fd = -1;
  int dest_fd = 1;
  bool dest_broken = false;  // our stdout/stderr is gone: keep reading the job, stop copying
};

// True when fds a and b are the same open file (cron's mail pipe, a terminal): the job then gets
// one pipe for both, which keeps the order of its stdout and stderr lines exact.
bool SameFile(int a, int b) {
  struct stat sa {};
  struct stat sb {};
  if (fstat(a, &sa) != 0 || fstat(b, &sb) != 0) return false;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void WriteAll(Stream& s, std::string_view data) {
  while (!data.empty() && !s.dest_broken) {
    ssize_t n = write(s.dest_fd, data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && errno == EAGAIN) {  // a non-blocking terminal we inherited
      pollfd p{s.dest_fd, POLLOUT, 0};
      poll(&p, 1, 100);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      s.dest_broken = true;
    }
  }
}

// Reads what is available; closes the pipe at EOF.
void Pump(Stream& s, TailBuffer& tail) {
  char buf[kReadChunk];
  ssize_t n = read(s.pipe_fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    close(s.pipe_fd);
    s.pipe_fd = -1;
    return;
  }
  std::string_view data(buf, static_cast<size_t>(n));
  tail.Append(data);
  WriteAll(s, data);
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

ChildOutcome NotStarted(const std::string& what, int err) {
  return {.exit_code = err == ENOENT ? 127 : 126,
          .exec_error = fmt::format("cannot execute '{}': {}", what, std::strerror(err))};
}

void CloseIf(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

}  // namespace

void TailBuffer::Append(std::string_view bytes) {
  if (capacity_ == 0) return;
  if (bytes.size() >= capacity_) {
    data_.assign(bytes.substr(bytes.size() - capacity_));
    return;
  }
  data_.append(bytes);
  if (data_.size() >= 2 * capacity_) data_.erase(0, data_.size() - capacity_);
}

std::string TailBuffer::Last(size_t limit) const {
  size_t n = std::min({limit, capacity_, data_.size()});
  return data_.substr(data_.size() - n);
}

ChildOutcome RunChild(const std::vector<std::string>& argv, TailBuffer& tail,
                      const std::function<void()>& on_started) {
  sigset_t handled, old_mask;
  sigemptyset(&handled);
  for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&handled, sig);
  pthread_sigmask(SIG_BLOCK, &handled, &old_mask);
  int sfd = signalfd(-1, &handled, SFD_CLOEXEC);

  const bool merged = SameFile(1, 2);
  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, exec_pipe[2] = {-1, -1};
  if (sfd < 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || (!merged && pipe2(err_pipe, O_CLOEXEC) != 0) ||
      pipe2(exec_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    for (int* fd : {&sfd, &out_pipe[0], &out_pipe[1], &err_pipe[0], &err_pipe[1], &exec_pipe[0],
                    &exec_pipe[1]})
      CloseIf(*fd);
    on_started();
    return {.exit_code = 126,
            .exec_error = fmt::format("cannot start '{}': {}", argv[0], std::strerror(err))};
  }

  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    // The job gets our stdin and signal dispositions as they were, with only its output redirected.
    dup2(out_pipe[1], 1);
    dup2(merged ? out_pipe[1] : err_pipe[1], 2);
    sigprocmask(SIG_SETMASK, &old_mask, nullptr);
    execvp(cargv[0], cargv.data());
    int err = errno;
    ssize_t ignored = write(exec_pipe[1], &err, sizeof err);
    (void)ignored;
    _exit(err == ENOENT ? 127 : 126);
  }
  int fork_errno = errno;
  CloseIf(out_pipe[1]);
  CloseIf(err_pipe[1]);
  CloseIf(exec_pipe[1]);
  // Writing to a stdout that went away must not kill us (the job still gets its own default).
  signal(SIGPIPE, SIG_IGN);

  int exec_errno = 0;
  if (pid < 0) {
    exec_errno = fork_errno;
  } else {
    ssize_t n;
    do n = read(exec_pipe[0], &exec_errno, sizeof exec_errno);
    while (n < 0 && errno == EINTR);
    if (n != sizeof exec_errno) exec_errno = 0;  // EOF: exec succeeded and closed the pipe
  }
  CloseIf(exec_pipe[0]);
  if (exec_errno != 0) {
    if (pid > 0) waitpid(pid, nullptr, 0);
    CloseIf(out_pipe[0]);
    CloseIf(err_pipe[0]);
    CloseIf(sfd);
    on_started();
    return NotStarted(argv[0], exec_errno);
  }
  on_started();

  Stream out{.pipe_fd = out_pipe[0], .dest_fd = 1};
  Stream err{.pipe_fd = err_pipe[0], .dest_fd = 2};
  bool reaped = false;
  int status = 0;
  Clock::time_point drain_until;
  for (;;) {
    if (!reaped && waitpid(pid, &status, WNOHANG) == pid) {
      reaped = true;
      drain_until = Clock::now() + kDrainAfterExit;
    }
    if (reaped && out.pipe_fd < 0 && err.pipe_fd < 0) break;
    int timeout_ms = -1;
    if (reaped) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(drain_until - Clock::now());
      if (left.count() <= 0) break;
      timeout_ms = static_cast<int>(left.count());
    }
    pollfd fds[3] = {{sfd, POLLIN, 0}, {out.pipe_fd, POLLIN, 0}, {err.pipe_fd, POLLIN, 0}};
    if (poll(fds, 3, timeout_ms) < 0) continue;  // EINTR
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info[8];
      ssize_t n = read(sfd, info, sizeof info);
      for (ssize_t i = 0; i < n / static_cast<ssize_t>(sizeof info[0]); ++i) {
        int sig = static_cast<int>(info[i].ssi_signo);
        // A terminal's ^C or hangup (SI_KERNEL) already reached the job, which shares our
        // process group; only signals sent to us alone are passed on, so none arrives twice.
        if (sig != SIGCHLD && !reaped && info[i].ssi_code != SI_KERNEL) kill(pid, sig);
      }
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) Pump(out, tail);
    if (fds[2].revents & (POLLIN | POLLHUP | POLLERR)) Pump(err, tail);
  }
  CloseIf(out.pipe_fd);
  CloseIf(err.pipe_fd);
  CloseIf(sfd);
  return {.exit_code = DecodeStatus(status)};
}

}  // namespace dogwatch::cli
