#include "smtp_stream.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

namespace dogwatch::notify_internal {
namespace {

constexpr size_t kChunkBytes = 16 * 1024;

bool IsIpLiteral(const std::string& host) {
  in6_addr v6;
  in_addr v4;
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

std::string OpenSslErrorText() {
  unsigned long code = ERR_peek_last_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

}  // namespace

SmtpStream::~SmtpStream() {
  if (ssl_ != nullptr) {
    if (encrypted_) {
      // A polite close_notify, if the socket takes it right away; nobody waits for the answer.
      SSL_shutdown(ssl_);
      char alert[256];
      int n = BIO_read(tls_out_, alert, sizeof alert);
      if (n > 0) (void)send(fd_, alert, static_cast<size_t>(n), MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    SSL_free(ssl_);  // frees both BIOs
  }
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  if (fd_ >= 0) close(fd_);
  ERR_clear_error();  // OpenSSL's error queue is per thread: leave nothing for the next user
}

void SmtpStream::ShortenDeadline(Clock::time_point deadline) {
  deadline_ = std::min(deadline_, deadline);
}

int SmtpStream::RemainingMillis() const {
  auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
  return static_cast<int>(std::clamp<long long>(left, 0, INT_MAX));
}

Status SmtpStream::PollFor(short events) {
  for (;;) {
    int wait_ms = RemainingMillis();
    if (wait_ms <= 0) return Fail(Errc::kUnavailable, "timed out");
    pollfd p{fd_, events, 0};
    int r = poll(&p, 1, wait_ms);
    if (r < 0 && errno != EINTR) return Fail(Errc::kUnavailable, "poll: {}", strerror(errno));
    // POLLERR and POLLHUP are reported by the recv() or send() that follows.
    if (r > 0) return Ok();
  }
}

Status SmtpStream::Connect(const std::string& host, int port,
                           std::chrono::milliseconds connect_timeout) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  // getaddrinfo cannot be bounded by the deadline; the resolver's own timeouts apply.
  int rc = getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
  if (rc != 0) return Fail(Errc::kUnavailable, "cannot resolve {}: {}", host, gai_strerror(rc));
  std::string last_error = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last_error = strerror(errno);
      continue;
    }
    fd_ = fd;
    Clock::time_point saved = deadline_;
    deadline_ = std::min(deadline_, Clock::now() + connect_timeout);
    Status status = Ok();
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      if (errno != EINPROGRESS) {
        status = Fail(Errc::kUnavailable, "{}", strerror(errno));
      } else if (status = PollFor(POLLOUT); status) {
        int error = 0;
        socklen_t len = sizeof error;
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
        if (error != 0) status = Fail(Errc::kUnavailable, "{}", strerror(error));
      }
    }
    deadline_ = saved;
    if (status) {
      freeaddrinfo(found);
      return Ok();
    }
    last_error = status.error().message;
    close(fd);
    fd_ = -1;
  }
  freeaddrinfo(found);
  return Fail(Errc::kUnavailable, "{}", last_error);
}

Status SmtpStream::SendRaw(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (Status s = PollFor(POLLOUT); !s) return s;
    } else if (n < 0 && errno != EINTR) {
      return Fail(Errc::kUnavailable, "send: {}", strerror(errno));
    }
  }
  return Ok();
}

Status SmtpStream::ReceiveRaw(std::string* into) {
  char buf[kChunkBytes];
  for (;;) {
    if (Status s = PollFor(POLLIN); !s) return s;
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      into->append(buf, static_cast<size_t>(n));
      return Ok();
    }
    if (n == 0) return Fail(Errc::kUnavailable, "connection closed by the server");
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      return Fail(Errc::kUnavailable, "recv: {}", strerror(errno));
  }
}

Status SmtpStream::FlushTlsOutput() {
  char buf[kChunkBytes];
  int n;
  while ((n = BIO_read(tls_out_, buf, sizeof buf)) > 0) {
    if (Status s = SendRaw(std::string_view(buf, static_cast<size_t>(n))); !s) return s;
  }
  return Ok();
}

Status SmtpStream::TlsError(const char* what, int ssl_error) {
  long verify = SSL_get_verify_result(ssl_);
  if (verify != X509_V_OK) {
    return Fail(Errc::kUnavailable, "TLS certificate verification failed: {}",
                X509_verify_cert_error_string(verify));
  }
  if (ssl_error == SSL_ERROR_ZERO_RETURN)
    return Fail(Errc::kUnavailable, "connection closed by the server");
  return Fail(Errc::kUnavailable, "{}: {}", what, OpenSslErrorText());
}

template <typename Op>
Status SmtpStream::DriveTls(Op op, const char* what, int* result) {
  for (;;) {
    ERR_clear_error();
    int r = op();
    int ssl_error = r > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, r);
    // Whatever OpenSSL produced (records, or an alert explaining a failure) goes out first.
    Status flushed = FlushTlsOutput();
    if (ssl_error != SSL_ERROR_NONE && ssl_error != SSL_ERROR_WANT_READ &&
        ssl_error != SSL_ERROR_WANT_WRITE) {
      return TlsError(what, ssl_error);
    }
    if (!flushed) return flushed;
    if (ssl_error == SSL_ERROR_NONE) {
      *result = r;
      return Ok();
    }
    if (ssl_error == SSL_ERROR_WANT_READ) {
      std::string raw;
      if (Status s = ReceiveRaw(&raw); !s) return s;
      BIO_write(tls_in_, raw.data(), static_cast<int>(raw.size()));
    }
  }
}

Status SmtpStream::StartTls(const std::string& host, const std::string& ca_file) {
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (ctx_ == nullptr) return Fail(Errc::kUnavailable, "TLS: {}", OpenSslErrorText());
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  // The system store (OPENSSLDIR, compiled into the static binary too, or SSL_CERT_FILE /
  // SSL_CERT_DIR). A missing store is not an error by itself: ca_file may be all there is.
  SSL_CTX_set_default_verify_paths(ctx_);
  ERR_clear_error();
  if (!ca_file.empty() && SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr) != 1) {
    return Fail(Errc::kInvalidArgument, "cannot load ca_file {}: {}", ca_file, OpenSslErrorText());
  }
  ssl_ = SSL_new(ctx_);
  if (ssl_ == nullptr) return Fail(Errc::kUnavailable, "TLS: {}", OpenSslErrorText());
  tls_in_ = BIO_new(BIO_s_mem());
  tls_out_ = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl_, tls_in_, tls_out_);
  if (IsIpLiteral(host)) {
    // SNI carries DNS names only (RFC 6066 3); an address must be in the certificate's SANs.
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), host.c_str());
  } else {
    SSL_set1_host(ssl_, host.c_str());
    SSL_set_tlsext_host_name(ssl_, host.c_str());
  }
  SSL_set_connect_state(ssl_);
  int r = 0;
  Status status = DriveTls([this] { return SSL_connect(ssl_); }, "TLS handshake", &r);
  encrypted_ = status.has_value();
  return status;
}

Status SmtpStream::Write(std::string_view data) {
  if (!encrypted_) return SendRaw(data);
  while (!data.empty()) {
    int chunk = static_cast<int>(std::min(data.size(), kChunkBytes));
    int written = 0;
    Status s = DriveTls([&] { return SSL_write(ssl_, data.data(), chunk); }, "TLS write", &written);
    if (!s) return s;
    data.remove_prefix(static_cast<size_t>(written));
  }
  return Ok();
}

Status SmtpStream::ReceiveSome() {
  if (!encrypted_) return ReceiveRaw(&unread_);
  char buf[kChunkBytes];
  int n = 0;
  Status s = DriveTls([&] { return SSL_read(ssl_, buf, sizeof buf); }, "TLS read", &n);
  if (s) unread_.append(buf, static_cast<size_t>(n));
  return s;
}

Status SmtpStream::ReadLine(std::string* line, size_t max_bytes) {
  size_t scanned = 0;
  for (;;) {
    size_t newline = unread_.find('\n', scanned);
    if (newline != std::string::npos) {
      size_t end = (newline > 0 && unread_[newline - 1] == '\r') ? newline - 1 : newline;
      if (end > max_bytes) break;
      line->assign(unread_, 0, end);
      unread_.erase(0, newline + 1);
      return Ok();
    }
    if (unread_.size() > max_bytes + 1) break;  // + 1: room for the CR of a CRLF
    scanned = unread_.size();
    if (Status s = ReceiveSome(); !s) return s;
  }
  return Fail(Errc::kUnavailable, "a reply line longer than {} bytes", max_bytes);
}

}  // namespace dogwatch::notify_internal
