// Private to the front: a connection's state and the loop's. REQUIRES: everything here is
// touched only by the loop thread, except the members marked "any thread".
#pragma once

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "fast_ping.h"
#include "front.h"
#include "ping_response.h"
#include "request_head.h"

namespace dogwatch::http_internal {

using SteadyClock = std::chrono::steady_clock;

enum class ConnState {
  kIdle,      // between requests: no byte of the next one yet
  kHead,      // reading a request head
  kBody,      // reading a ping's body
  kAwaitAck,  // the ping is with the monitor
  kWrite,     // a response is being written
  kLinger,    // answered 414/431, write side shut: reading and dropping until the client closes
};

struct Conn {
  int fd = -1;
  uint32_t slot = 0;
  uint32_t id = 0;   // changes with each use of the slot: stale epoll events are recognised
  uint32_t seq = 0;  // the ping with the monitor: stale answers (after a 503) are recognised
  ConnState state = ConnState::kIdle;
  SteadyClock::time_point deadline;  // what it bounds depends on the state
  bool registered = false;           // in the epoll set (only once the loop has to wait for it)
  bool want_write = false;           // EPOLLOUT in the interest set
  bool readable = true;              // edge-triggered: no EAGAIN since the last edge
  bool peer_eof = false;
  std::string peer_addr;
  int peer_port = 0;
  int requests_left = 0;

  std::string in;  // bytes read; [in_pos, size) not yet consumed
  size_t in_pos = 0;
  size_t scanned = 0;  // ParseRequestHead progress on the head at in_pos
  std::string out;     // the response being written; [out_pos, size) not yet sent
  size_t out_pos = 0;
  bool close_after_write = false;
  bool linger = false;  // after a 414/431: drain before closing

  // The ping being served.
  PingPlan plan;
  RawPing raw;
  uint64_t body_left = 0;
  SteadyClock::time_point started;  // head complete, for the access log

  std::string_view Unread() const { return std::string_view(in).substr(in_pos); }
};

struct Ack {
  uint64_t token;
  Result<PingAck> result;
};

struct Front::Impl {
  Impl(const HttpContext& c, int listen, HandOff h);
  ~Impl();

  const HttpContext& ctx;
  HandOff hand_off;
  std::chrono::milliseconds keep_alive_timeout, read_timeout, write_timeout;
  int keep_alive_max;
  bool access_log;
  size_t body_limit;
  std::string keep_alive_value;  // "timeout=2, max=100", as cpp-httplib writes it
  std::string body_limit_value;

  int listen_fd = -1;
  int epoll_fd = -1;
  int wake_fd = -1;     // eventfd: answers are queued in `acks`
  int stop_event = -1;  // eventfd: Stop() was called (never read, stays readable)
  bool stopping = false;
  bool accept_paused = false;  // out of file descriptors: retried on the next sweep
  SteadyClock::time_point now, next_sweep;

  std::vector<std::unique_ptr<Conn>> conns;  // by slot; null or fd < 0 when free
  std::vector<uint32_t> free_slots;
  size_t live = 0;
  uint32_t next_id = 0;
  RequestHead head;  // scratch, reused
  GzipCache gzip;
  std::vector<char> read_buf;
  std::vector<Ack> acks_taken;
  std::vector<uint64_t> again, again_taken;  // connections to pump again next turn (read budget)
  // Pings read this turn, submitted together at its end: one lock and one wake-up of the
  // monitor per turn instead of per ping, and a bigger batch for its group commit.
  std::vector<PingRequest> pending;

  // --- any thread ---
  std::mutex acks_mu;
  std::vector<Ack> acks;  // answers from the monitor, for the loop

  // front.cpp: the loop
  bool Run();
  void AcceptAll();
  Conn& NewConn(int fd, const sockaddr_storage& addr);
  void OnEvent(uint64_t data, uint32_t events);
  void DrainAcks();
  void BeginStop();
  void Sweep();
  void Register(Conn& c);
  void Close(Conn& c);
  void HandOffConn(Conn& c);
  void OnAck(uint64_t token, Result<PingAck> result);  // any thread

  // front_conn.cpp: one connection's requests
  void Pump(Conn& c);
  enum class Step { kNeedInput, kProgress, kGone };
  Step Consume(Conn& c);
  Step ConsumeHead(Conn& c);
  void ConsumeBody(Conn& c);
  void Submit(Conn& c);
  void Answer(Conn& c, const Result<PingAck>& result);
  void AnswerEmpty(Conn& c, int status);
  bool ReadInput(Conn& c);
  enum class Flushed { kDone, kBlocked, kError };
  Flushed Flush(Conn& c);
  void AfterResponse(Conn& c);
  void Discard(Conn& c);
  void OnDeadline(Conn& c);
};

}  // namespace dogwatch::http_internal
