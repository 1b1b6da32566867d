// One TLS connection on a worker thread: the handshake, the stream cpp-httplib reads requests
// from, and the close. The whole-request read deadline (request_deadline.h) covers the handshake
// and each request, as it covers plaintext requests.
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include "dogwatch/core/log.h"
#include "handoff.h"
#include "request_deadline.h"
#include "tls.h"

namespace dogwatch::http_internal {
namespace {

// cpp-httplib's line reader asks for one byte at a time: decrypt ahead in blocks.
constexpr size_t kReadAhead = 4096;

bool Wait(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int n;
  do {
    n = poll(&p, 1, timeout_ms);
  } while (n < 0 && errno == EINTR);
  return n > 0;
}

// Waits for what OpenSSL said it needs to make progress; false on timeout or a real error.
bool WaitFor(SSL* ssl, int ret, int fd, int timeout_ms) {
  switch (SSL_get_error(ssl, ret)) {
    case SSL_ERROR_WANT_READ:
      return Wait(fd, POLLIN, timeout_ms);
    case SSL_ERROR_WANT_WRITE:
      return Wait(fd, POLLOUT, timeout_ms);
    default:
      return false;
  }
}

class TlsStream final : public ConnStream {
 public:
  TlsStream(SSL* ssl, const HandedOff& conn, int read_timeout_ms, int write_timeout_ms)
      : ssl_(ssl),
        fd_(conn.fd),
        peer_addr_(conn.peer_addr),
        peer_port_(conn.peer_port),
        read_timeout_ms_(read_timeout_ms),
        write_timeout_ms_(write_timeout_ms) {}

  bool is_readable() const override { return Buffered() || Wait(fd_, POLLIN, read_timeout_ms_); }
  bool is_writable() const override { return Wait(fd_, POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (pos_ == buf_.size()) {
      if (size >= kReadAhead) return Decrypt(ptr, size);
      buf_.resize(kReadAhead);
      pos_ = 0;
      ssize_t n = Decrypt(buf_.data(), kReadAhead);
      buf_.resize(n > 0 ? static_cast<size_t>(n) : 0);
      if (n <= 0) return n;
    }
    size_t n = std::min(size, buf_.size() - pos_);
    std::memcpy(ptr, buf_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    int len = static_cast<int>(std::min<size_t>(size, INT_MAX));
    for (;;) {
      ERR_clear_error();
      int n = SSL_write(ssl_, ptr, len);
      if (n > 0) return n;
      if (!WaitFor(ssl_, n, fd_, write_timeout_ms_)) return -1;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = peer_addr_;
    port = peer_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    httplib::detail::get_local_ip_and_port(fd_, ip, port);
  }
  socket_t socket() const override { return fd_; }

  bool WaitForRequest(int timeout_ms, int stop_fd) const override {
    if (Buffered()) return true;
    pollfd p[2] = {{fd_, POLLIN, 0}, {stop_fd, POLLIN, 0}};
    int n;
    do {
      n = poll(p, 2, timeout_ms);
    } while (n < 0 && errno == EINTR);
    return n > 0 && (p[1].revents & POLLIN) == 0;
  }

 private:
  // Bytes decrypted and not yet returned, here or inside OpenSSL (a pipelined request).
  bool Buffered() const { return pos_ < buf_.size() || SSL_pending(ssl_) > 0; }

  ssize_t Decrypt(char* ptr, size_t size) {
    int len = static_cast<int>(std::min<size_t>(size, INT_MAX));
    for (;;) {
      // OpenSSL reads with read(), not recv(): ask the deadline here (a trickling client).
      if (RecvPastDeadline()) return -1;
      ERR_clear_error();
      int n = SSL_read(ssl_, ptr, len);
      if (n > 0) return n;
      if (SSL_get_error(ssl_, n) == SSL_ERROR_ZERO_RETURN) return 0;  // close_notify
      if (!WaitFor(ssl_, n, fd_, read_timeout_ms_)) return -1;
    }
  }

  SSL* ssl_;
  int fd_;
  std::string buf_;  // decrypted, not yet returned: [pos_, size)
  size_t pos_ = 0;
  std::string peer_addr_;
  int peer_port_;
  int read_timeout_ms_, write_timeout_ms_;
};

enum class Handshake { kDone, kFailed, kPlainHttp };

Handshake Accept(SSL* ssl, int fd, int timeout_ms, std::string& why) {
  for (;;) {
    if (RecvPastDeadline()) {
      why = "timed out";
      return Handshake::kFailed;
    }
    ERR_clear_error();
    int r = SSL_accept(ssl);
    if (r == 1) return Handshake::kDone;
    if (WaitFor(ssl, r, fd, timeout_ms)) continue;
    unsigned long e = ERR_peek_error();
    if (ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == SSL_R_HTTP_REQUEST)
      return Handshake::kPlainHttp;
    char buf[256] = "closed or timed out";
    if (e != 0) ERR_error_string_n(e, buf, sizeof buf);
    why = buf;
    return Handshake::kFailed;
  }
}

// `curl http://` to the HTTPS port: say so in plain text rather than drop the connection.
void RefusePlainHttp(int fd) {
  static constexpr std::string_view kReply =
      "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 45\r\n"
      "Connection: close\r\n\r\nThis port speaks HTTPS: use an https:// URL.\n";
  [[maybe_unused]] ssize_t n = send(fd, kReply.data(), kReply.size(), MSG_NOSIGNAL);
  // Read what the client still sends, briefly, so closing does not reset the connection (and
  // discard our answer) while its request is unread.
  shutdown(fd, SHUT_WR);
  char sink[4096];
  for (int i = 0; i < 16 && Wait(fd, POLLIN, 200); ++i)
    if (::read(fd, sink, sizeof sink) <= 0) break;
}

}  // namespace

void HandOffServer::ServeTls(HandedOff conn, int stop_fd, TlsContext& tls) {
  const int fd = conn.fd;
  SSL* ssl = SSL_new(tls.ctx());
  std::string why;
  Handshake hs = ssl && SSL_set_fd(ssl, fd) == 1 ? Accept(ssl, fd, read_timeout_ms(), why)
                                                 : Handshake::kFailed;
  if (hs == Handshake::kDone) {
    TlsStream strm(ssl, conn, read_timeout_ms(), write_timeout_ms());
    Serve(strm, conn.requests_left, stop_fd, [ssl](httplib::Request& req) { req.ssl = ssl; });
    ERR_clear_error();
    SSL_shutdown(ssl);  // close_notify, best effort: the socket is non-blocking
  } else if (hs == Handshake::kPlainHttp) {
    RefusePlainHttp(fd);
  } else {
    log::Debug("tls_handshake_failed remote={} error={}", conn.peer_addr, log::Quote(why));
  }
  SSL_free(ssl);
  ERR_clear_error();
  shutdown(fd, SHUT_RDWR);
  close(fd);
}

}  // namespace dogwatch::http_internal
