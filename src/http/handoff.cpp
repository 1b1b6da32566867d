#include "handoff.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "request_deadline.h"

namespace dogwatch::http_internal {
namespace {

// cpp-httplib's line reader asks for one byte at a time: read ahead in blocks, as its
// SocketStream does.
constexpr size_t kReadAhead = 4096;

int Millis(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

// RFC 9112 §6.3: a request with neither Content-Length nor Transfer-Encoding has no body.
// cpp-httplib instead reads a POST, PUT, PATCH or DELETE without them until the client closes,
// so `curl -X POST .../pause` (Healthchecks' documented call) would hang for the read timeout.
void NoLengthMeansEmpty(httplib::Request& req) {
  if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
    req.set_header("Content-Length", "0");
}

}  // namespace

HandOffStream::HandOffStream(HandedOff& conn, int read_timeout_ms, int write_timeout_ms)
    : fd_(conn.fd),
      buf_(std::move(conn.buffered)),
      peer_addr_(std::move(conn.peer_addr)),
      peer_port_(conn.peer_port),
      read_timeout_ms_(read_timeout_ms),
      write_timeout_ms_(write_timeout_ms) {}

bool HandOffStream::Wait(short events, int timeout_ms) const {
  pollfd p{fd_, events, 0};
  int n;
  do {
    n = poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

bool HandOffStream::is_readable() const {
  return pos_ < buf_.size() || Wait(POLLIN, read_timeout_ms_);
}

bool HandOffStream::is_writable() const { return Wait(POLLOUT, write_timeout_ms_); }

ssize_t HandOffStream::Recv(char* ptr, size_t size) {
  for (;;) {
    ssize_t n = recv(fd_, ptr, size, 0);  // through the request deadline's wrapper
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if ((errno != EAGAIN && errno != EWOULDBLOCK) || !Wait(POLLIN, read_timeout_ms_)) return -1;
  }
}

ssize_t HandOffStream::read(char* ptr, size_t size) {
  if (pos_ == buf_.size()) {
    if (size >= kReadAhead) return Recv(ptr, size);
    buf_.resize(kReadAhead);
    pos_ = 0;
    ssize_t n = Recv(buf_.data(), kReadAhead);
    buf_.resize(n > 0 ? static_cast<size_t>(n) : 0);
    if (n <= 0) return n;
  }
  size_t n = std::min(size, buf_.size() - pos_);
  std::memcpy(ptr, buf_.data() + pos_, n);
  pos_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t HandOffStream::write(const char* ptr, size_t size) {
  for (;;) {
    ssize_t n = send(fd_, ptr, size, MSG_NOSIGNAL);
    if (n >= 0) return n;
    if (errno == EINTR) continue;
    if ((errno != EAGAIN && errno != EWOULDBLOCK) || !Wait(POLLOUT, write_timeout_ms_)) return -1;
  }
}

void HandOffStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = peer_addr_;
  port = peer_port_;
}

void HandOffStream::get_local_ip_and_port(std::string& ip, int& port) const {
  httplib::detail::get_local_ip_and_port(fd_, ip, port);
}

bool HandOffStream::WaitForRequest(int timeout_ms, int stop_fd) const {
  if (pos_ < buf_.size()) return true;
  pollfd p[2] = {{fd_, POLLIN, 0}, {stop_fd, POLLIN, 0}};
  int n;
  do {
    n = poll(p, 2, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n > 0 && (p[1].revents & POLLIN) == 0;
}

int HandOffServer::read_timeout_ms() const { return Millis(read_timeout_sec_, read_timeout_usec_); }

int HandOffServer::write_timeout_ms() const { return Millis(write_timeout_sec_, write_timeout_usec_); }

void HandOffServer::Serve(ConnStream& strm, int requests, int stop_fd,
                          const std::function<void(httplib::Request&)>& setup) {
  auto setup_request = [&setup](httplib::Request& req) {
    NoLengthMeansEmpty(req);
    if (setup) setup(req);
  };
  // cpp-httplib's process_server_socket_core(), with a stream that lives as long as the
  // connection (so pipelined bytes it read ahead are not lost between requests).
  for (bool first = true; requests > 0; first = false) {
    if (!first && (stopping_ ||
                   !strm.WaitForRequest(static_cast<int>(keep_alive_timeout_sec_ * 1000), stop_fd)))
      break;
    bool connection_closed = false;
    bool ok = process_request(strm, requests == 1 || stopping_, connection_closed, setup_request);
    if (!ok || connection_closed) break;
    --requests;
  }
}

void HandOffServer::ServeHandedOff(HandedOff conn, int stop_fd) {
  const int fd = conn.fd;
  // The request in progress began in the front: its read deadline counts from its first byte.
  if (conn.read_deadline) SetRequestDeadline(*conn.read_deadline);
  const int requests = conn.requests_left;
  HandOffStream strm(conn, read_timeout_ms(), write_timeout_ms());
  Serve(strm, requests, stop_fd, nullptr);
  shutdown(fd, SHUT_RDWR);
  close(fd);
}

}  // namespace dogwatch::http_internal
