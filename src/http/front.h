// The HTTP server's event-loop front. One thread (Run) owns the listening socket and every
// connection it has accepted: it reads request heads without blocking, answers pings itself, and
// hands every other connection, with the bytes it has already read, to cpp-httplib on a worker
// thread (handoff.h), which keeps it until it closes.
//
// DESIGN: a ping is submitted to the monitor with a completion callback instead of a blocked
// thread. The callback runs on the monitor thread after the group commit; it queues the answer
// and wakes the loop through an eventfd (once per batch, not per ping), and the loop writes the
// response. So a ping costs no thread switch of its own: thread-per-connection spent about a
// quarter of the CPU switching threads (bench/README.md, "Ping ingest"). Deadlines (keep-alive,
// the whole-request read deadline, the 10 s monitor answer, writes) are checked by a sweep every
// 100 ms, so they are exact to about that.
//
// Threading: Run() on one thread; Stop() and stop_fd() from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "dogwatch/http/server.h"

namespace dogwatch::http_internal {

// A connection the front gives up, with everything cpp-httplib needs to carry on with it.
struct HandedOff {
  int fd = -1;            // non-blocking; now the receiver's to close
  std::string buffered;   // read from fd, not yet consumed: the start of the next request
  std::string peer_addr;  // numeric, as cpp-httplib's Request::remote_addr
  int peer_port = 0;
  int requests_left = 1;  // keep-alive requests allowed, the one in progress included
  // When the request in progress must have been read in full (the slowloris defence).
  std::optional<std::chrono::steady_clock::time_point> read_deadline;
};

class Front {
 public:
  // Called on the loop thread; must not block (it queues the connection for a worker).
  using HandOff = std::function<void(HandedOff)>;

  // Takes ownership of listen_fd (bound and listening). ctx.monitor is read when Run() starts.
  Front(const HttpContext& ctx, int listen_fd, HandOff hand_off);
  ~Front();
  Front(const Front&) = delete;
  Front& operator=(const Front&) = delete;

  // Serves until Stop(); then stops accepting, closes idle connections, lets requests in progress
  // finish (pings in flight get their answers, every answer says Connection: close) and returns
  // once no connection is left. False if the loop could not be set up.
  bool Run();
  // Any thread, any time (also before Run).
  void Stop();
  // Readable once Stop() has been called: idle handed-off connections poll it to close promptly.
  int stop_fd() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace dogwatch::http_internal
