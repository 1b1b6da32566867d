// Native TLS ([server.tls], docs/tls-and-proxies.md). With it, the event-loop front (front.h),
// which parses plaintext itself, is not used: TlsListener accepts every connection and hands it
// to cpp-httplib on the worker pool (HandOffServer::ServeTls, handoff.h), which does the
// handshake and then serves the requests with the same routes and hooks as in plaintext mode.
//
// DESIGN: the SSL_CTX has no certificate of its own. Its certificate callback gives each new
// handshake the TlsIdentity current at that moment, so Reload() (SIGHUP, after a certbot
// renewal) swaps in new files without a restart; connections already open keep the one they
// began with. A failed reload keeps the old pair.
//
// Threading: TlsContext::Reload() and current() from any thread; the callback runs on worker
// threads. TlsListener as Front: Run() on one thread, Stop() and stop_fd() from any.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "dogwatch/config/config.h"
#include "dogwatch/core/result.h"
#include "front.h"

namespace dogwatch::http_internal {

// A certificate, the chain that follows it in cert_file, and the matching private key.
// Immutable once loaded.
struct TlsIdentity {
  TlsIdentity() = default;
  TlsIdentity(const TlsIdentity&) = delete;
  TlsIdentity& operator=(const TlsIdentity&) = delete;
  ~TlsIdentity();

  X509* cert = nullptr;
  STACK_OF(X509) * chain = nullptr;  // may be empty
  EVP_PKEY* key = nullptr;
  std::string subject;  // RFC 2253, "CN=dogwatch.example.com"
  std::chrono::system_clock::time_point not_after;
};

// Reads and checks both files: readable, PEM, a certificate (then any chain) and an unencrypted
// private key that belongs to it (X509_check_private_key). Errors name the key and the file:
// "server.tls.key_file: '/etc/dogwatch/tls/key.pem' is not the key of the certificate in ...".
// REQUIRES: tls.enabled() and both paths set (LoadConfig checks that).
Result<std::shared_ptr<const TlsIdentity>> LoadTlsIdentity(const TlsConfig& tls);

class TlsContext {
 public:
  // Loads the files and builds the SSL_CTX (TLS 1.2 and 1.3). Errors as LoadTlsIdentity().
  static Result<std::unique_ptr<TlsContext>> Create(const TlsConfig& tls);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  SSL_CTX* ctx() const { return ctx_; }
  std::shared_ptr<const TlsIdentity> current() const;
  // Reads the same files again; if they load, new handshakes use them. Logs tls_reloaded or
  // tls_reload_failed (and keeps the old pair).
  Status Reload();

 private:
  TlsContext(TlsConfig files, std::shared_ptr<const TlsIdentity> identity);
  static int CertCallback(SSL* ssl, void* self);

  const TlsConfig files_;
  SSL_CTX* ctx_ = nullptr;
  mutable std::mutex mu_;
  std::shared_ptr<const TlsIdentity> identity_;  // guarded by mu_
};

// Logs the identity in use (event "tls_ready" at start-up, "tls_reloaded" after a reload), and a
// warning when the certificate expires within 14 days or has expired.
void LogTlsIdentity(const char* event, const TlsIdentity& identity);

// The accept loop used instead of the front when TLS is on: every accepted connection goes to
// hand_off (HandedOff with nothing buffered) and is served on a worker.
class TlsListener {
 public:
  // Takes ownership of listen_fd (bound and listening).
  TlsListener(int listen_fd, int keep_alive_max_requests, Front::HandOff hand_off);
  ~TlsListener();
  TlsListener(const TlsListener&) = delete;
  TlsListener& operator=(const TlsListener&) = delete;

  // Accepts until Stop(), then closes the listening socket and returns. False if it failed.
  bool Run();
  void Stop();  // any thread, any time (also before Run)
  // Readable once Stop() has been called: idle keep-alive connections poll it to close promptly.
  int stop_fd() const { return stop_event_; }

 private:
  int listen_fd_;
  int stop_event_;
  int keep_alive_max_;
  Front::HandOff hand_off_;
};

}  // namespace dogwatch::http_internal
