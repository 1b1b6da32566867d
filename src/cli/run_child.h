// The job under `dogwatch run`: spawns it with our stdin, copies its stdout and stderr through to
// ours while keeping the last bytes of both, forwards SIGTERM, SIGINT and SIGHUP to it, and waits
// for it. Main thread only: it blocks those signals (and SIGCHLD) for the whole process.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dogwatch::cli {

// The last `capacity` bytes appended.
class TailBuffer {
 public:
  explicit TailBuffer(size_t capacity) : capacity_(capacity) {}
  void Append(std::string_view bytes);
  // The last min(limit, capacity) bytes.
  std::string Last(size_t limit) const;

 private:
  size_t capacity_;
  std::string data_;  // trimmed to capacity_ once it holds twice that, so appends stay cheap
};

struct ChildOutcome {
  int exit_code = 0;  // the job's status; 128+N when killed by signal N; 127/126 when not started
  std::optional<std::string> exec_error;  // "cannot execute 'foo': No such file or directory"
};

// Runs argv (argv[0] looked up in PATH) to completion. on_started runs once the job is running or
// has failed to start, on this thread; it may start threads (signals are blocked by then).
// A job that ignores the forwarded signals is waited for: it is never killed from here.
// REQUIRES: no other thread exists yet (fork), argv is not empty.
ChildOutcome RunChild(const std::vector<std::string>& argv, TailBuffer& tail,
                      const std::function<void()>& on_started);

}  // namespace dogwatch::cli
