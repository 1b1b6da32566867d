// SmtpStream: the bytes of one SMTP connection, TCP and then optionally TLS, with every connect,
// read, write and handshake bounded by one deadline, so a server that stops talking cannot hold
// the caller past it. TLS runs over memory BIOs and the socket is written with MSG_NOSIGNAL: a
// peer that hangs up never raises SIGPIPE. Not thread-safe: one conversation owns each stream.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "dogwatch/core/result.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct bio_st BIO;

namespace dogwatch::notify_internal {

class SmtpStream {
 public:
  using Clock = std::chrono::steady_clock;

  explicit SmtpStream(Clock::time_point deadline) : deadline_(deadline) {}
  ~SmtpStream();
  SmtpStream(const SmtpStream&) = delete;
  SmtpStream& operator=(const SmtpStream&) = delete;

  // Resolves host and connects to each address in turn, each attempt bounded by connect_timeout
  // and all of them by the deadline. Errors (kUnavailable) name the host and port.
  Status Connect(const std::string& host, int port, std::chrono::milliseconds connect_timeout);

  // TLS handshake on the connected socket. The chain is verified against OpenSSL's default
  // paths (which honour SSL_CERT_FILE and SSL_CERT_DIR) plus ca_file when not empty, and the
  // certificate must name host (a DNS name, sent as SNI, or an IP address).
  // Errors: kInvalidArgument when ca_file cannot be loaded; kUnavailable otherwise.
  // REQUIRES: connected, not yet encrypted, and nothing received but not yet read.
  Status StartTls(const std::string& host, const std::string& ca_file);

  // Writes all of data. Errors: kUnavailable.
  Status Write(std::string_view data);

  // The next line, without its line end (CRLF or a bare LF). Errors (kUnavailable): closed
  // connection, deadline, a line longer than max_bytes.
  Status ReadLine(std::string* line, size_t max_bytes);

  bool encrypted() const { return encrypted_; }
  // True when bytes arrived that nobody has read yet.
  bool has_unread() const { return !unread_.empty(); }
  // Moves the deadline earlier (never later): a short grace for QUIT.
  void ShortenDeadline(Clock::time_point deadline);

 private:
  // The time left before the deadline, for poll(); 0 once it has passed.
  int RemainingMillis() const;
  Status PollFor(short events);
  Status SendRaw(std::string_view data);
  // Appends what the socket has to `into`; an orderly close is an error.
  Status ReceiveRaw(std::string* into);
  // Runs an SSL call until it completes, shuttling bytes between the memory BIOs and the socket.
  template <typename Op>
  Status DriveTls(Op op, const char* what, int* result);
  Status FlushTlsOutput();
  Status ReceiveSome();  // into unread_, through TLS when encrypted
  Status TlsError(const char* what, int ssl_error);

  Clock::time_point deadline_;
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  BIO* tls_in_ = nullptr;   // socket -> OpenSSL; owned by ssl_
  BIO* tls_out_ = nullptr;  // OpenSSL -> socket; owned by ssl_
  bool encrypted_ = false;  // the handshake completed
  std::string unread_;      // plaintext received, not yet consumed by ReadLine
};

}  // namespace dogwatch::notify_internal
