// A whole-request read deadline for the HTTP server. cpp-httplib's read_timeout bounds each
// read(), so a client that trickles a byte a second holds a worker forever (slowloris). Every
// read it makes goes through recv(), which the link wraps (-Wl,--wrap=recv) to also enforce
// "the whole request within read_timeout" on the server's worker threads. Other threads (an
// outbound HTTP client, the monitor) are not affected.
//
// Threading: all state is thread-local; each function acts on the calling thread only.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace dogwatch::http_internal {

// Marks the calling thread as a server worker whose requests must arrive within `limit`.
void EnableRequestDeadline(std::chrono::milliseconds limit);
// The next recv() on this thread starts a new request (a new connection, or the next request
// on a keep-alive one). Called before each connection and after each response.
void StartNextRequest();
// The request in progress on this thread must be read by `deadline`: a connection handed over
// by the front (front.h) mid-request, whose first byte the front read.
void SetRequestDeadline(std::chrono::steady_clock::time_point deadline);
// What the recv() wrapper asks before each read: true once the request in progress on this
// thread is past its deadline (the first read of a request starts it). TLS reads go through
// OpenSSL's read(), not recv(), so the TLS stream (tls.h) asks this itself.
bool RecvPastDeadline();

// cpp-httplib's TaskQueue with workers that carry the deadline. enqueue() and shutdown() may be
// called from any thread; shutdown() finishes queued connections, then joins.
class WorkerPool final : public httplib::TaskQueue {
 public:
  WorkerPool(size_t threads, std::chrono::milliseconds request_deadline);
  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  void Run(std::chrono::milliseconds deadline);

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  bool shutdown_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace dogwatch::http_internal
