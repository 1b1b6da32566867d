// cpp-httplib serving the connections the front hands over (front.h): API routes, non-ping
// paths and the unusual pings (chunked, Expect: 100-continue, ...). HandOffServer is the
// httplib::Server that holds the routes, hooks, logger and exception handler; it serves a
// handed-off connection through its protected process_request(), in the same keep-alive loop
// cpp-httplib runs for its own sockets, reading first the bytes the front had already read.
// With [server.tls] there is no front: the same server serves every connection over TLS
// (ServeTls, tls.h), so both modes share one route table, one set of hooks and one loop.
// Threading: configure the server before Run; ServeHandedOff() and ServeTls() run on worker
// threads, many at once; set_stopping() from any thread.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <string>

#include "front.h"

namespace dogwatch::http_internal {

class TlsContext;

// A connection's stream that can also wait, between keep-alive requests, for the next one.
class ConnStream : public httplib::Stream {
 public:
  // Waits up to timeout_ms for the next request to begin. False on timeout, or once stop_fd is
  // readable (the server is stopping).
  virtual bool WaitForRequest(int timeout_ms, int stop_fd) const = 0;
};

// An httplib::Stream over a non-blocking socket that first yields `buffered`. Reads and writes
// wait up to the read and write timeouts, as cpp-httplib's SocketStream does; reads go through
// recv(), so the whole-request deadline (request_deadline.h) applies.
class HandOffStream final : public ConnStream {
 public:
  HandOffStream(HandedOff& conn, int read_timeout_ms, int write_timeout_ms);

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }
  bool WaitForRequest(int timeout_ms, int stop_fd) const override;

 private:
  bool Wait(short events, int timeout_ms) const;
  ssize_t Recv(char* ptr, size_t size);

  int fd_;
  std::string buf_;  // read, not yet returned: [pos_, size)
  size_t pos_ = 0;
  std::string peer_addr_;
  int peer_port_;
  int read_timeout_ms_, write_timeout_ms_;
};

class HandOffServer final : public httplib::Server {
 public:
  // Serves conn until it closes or has made its allowed requests, then closes conn.fd. The first
  // request is served even when stopping (the front took its first bytes already).
  void ServeHandedOff(HandedOff conn, int stop_fd);
  // Serves a new TLS connection (conn.buffered empty): the handshake within read_timeout, then
  // requests as ServeHandedOff does, until it closes; then closes conn.fd. Defined in tls_conn.cpp.
  void ServeTls(HandedOff conn, int stop_fd, TlsContext& tls);
  void set_stopping() { stopping_ = true; }

 private:
  // The keep-alive loop: at most `requests` requests on strm, each request first passed to
  // `setup` (after its head is read, before its body).
  void Serve(ConnStream& strm, int requests, int stop_fd,
             const std::function<void(httplib::Request&)>& setup);
  int read_timeout_ms() const;
  int write_timeout_ms() const;

  std::atomic<bool> stopping_{false};
};

}  // namespace dogwatch::http_internal
