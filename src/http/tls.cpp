// [server.tls]: loading the certificate and key, the SSL_CTX with its certificate callback, the
// reload, and the accept loop. One TLS connection's life is in tls_conn.cpp.
#include "tls.h"

#include <httplib.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>

#include "dogwatch/core/log.h"
#include "dogwatch/core/time.h"
#include "dogwatch/http/server.h"

namespace dogwatch::http_internal {
namespace {

constexpr auto kExpiryWarning = std::chrono::hours(24 * 14);

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

// The newest OpenSSL error, for messages; clears the thread's queue.
std::string SslError() {
  unsigned long e = ERR_peek_last_error();
  std::string text = "unknown error";
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    text = buf;
  }
  ERR_clear_error();
  return text;
}

// The whole file, or "<key>: cannot read '<path>': <reason>".
Result<std::string> ReadKeyFile(const char* key, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Fail(Errc::kInvalidArgument, "{}: cannot read '{}': {}", key, path,
                std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Fail(Errc::kInvalidArgument, "{}: cannot read '{}'", key, path);
  return text;
}

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// An encrypted key would make OpenSSL prompt on the terminal; refuse it instead.
int NoPassphrase(char*, int, int, void*) { return 0; }

std::string SubjectOf(X509* cert) {
  BioPtr out(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(out.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long n = BIO_get_mem_data(out.get(), &data);
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

std::chrono::system_clock::time_point NotAfter(X509* cert) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notAfter(cert), &tm) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

Status ReadCertificates(const std::string& path, TlsIdentity& id) {
  auto text = ReadKeyFile("server.tls.cert_file", path);
  if (!text) return text.error();
  BioPtr bio = MemoryBio(*text);
  id.cert = PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr);
  if (!id.cert) {
    return Fail(Errc::kInvalidArgument, "server.tls.cert_file: '{}' holds no PEM certificate ({})",
                path, SslError());
  }
  id.chain = sk_X509_new_null();
  while (X509* next = PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr))
    sk_X509_push(id.chain, next);
  // The loop ends on "no start line" at the end of the file; anything else is a broken chain.
  unsigned long e = ERR_peek_last_error();
  if (e != 0 && ERR_GET_REASON(e) != PEM_R_NO_START_LINE) {
    return Fail(Errc::kInvalidArgument,
                "server.tls.cert_file: '{}': a certificate after the first is unreadable ({})",
                path, SslError());
  }
  ERR_clear_error();
  return Ok();
}

}  // namespace

TlsIdentity::~TlsIdentity() {
  X509_free(cert);
  if (chain) sk_X509_pop_free(chain, X509_free);
  EVP_PKEY_free(key);
}

Result<std::shared_ptr<const TlsIdentity>> LoadTlsIdentity(const TlsConfig& tls) {
  ERR_clear_error();
  auto id = std::make_shared<TlsIdentity>();
  if (auto st = ReadCertificates(tls.cert_file, *id); !st) return st.error();
  auto key_text = ReadKeyFile("server.tls.key_file", tls.key_file);
  if (!key_text) return key_text.error();
  BioPtr bio = MemoryBio(*key_text);
  id->key = PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr);
  if (!id->key) {
    return Fail(Errc::kInvalidArgument,
                "server.tls.key_file: '{}' holds no unencrypted PEM private key ({})", tls.key_file,
                SslError());
  }
  if (X509_check_private_key(id->cert, id->key) != 1) {
    ERR_clear_error();
    return Fail(
        Errc::kInvalidArgument,
        "server.tls.key_file: '{}' is not the key of the certificate in server.tls.cert_file '{}'",
        tls.key_file, tls.cert_file);
  }
  id->subject = SubjectOf(id->cert);
  id->not_after = NotAfter(id->cert);
  return std::shared_ptr<const TlsIdentity>(std::move(id));
}

void LogTlsIdentity(const char* event, const TlsIdentity& id) {
  TimePoint not_after = std::chrono::time_point_cast<Micros>(id.not_after);
  std::string when = FormatIsoZ(not_after);
  log::Info("{} subject={} not_after={}", event, log::Quote(id.subject), when);
  auto left = id.not_after - std::chrono::system_clock::now();
  if (left < kExpiryWarning) {
    log::Warn("tls_expires_soon subject={} not_after={} days_left={} note={}",
              log::Quote(id.subject), when,
              std::chrono::duration_cast<std::chrono::hours>(left).count() / 24,
              log::Quote(left.count() < 0 ? "the certificate has expired: clients refuse it"
                                          : "renew it, then reload (systemctl reload dogwatch)"));
  }
}

TlsContext::TlsContext(TlsConfig files, std::shared_ptr<const TlsIdentity> identity)
    : files_(std::move(files)), identity_(std::move(identity)) {}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

Result<std::unique_ptr<TlsContext>> TlsContext::Create(const TlsConfig& tls) {
  auto identity = LoadTlsIdentity(tls);
  if (!identity) return identity.error();
  std::unique_ptr<TlsContext> self(new TlsContext(tls, *std::move(identity)));
  self->ctx_ = SSL_CTX_new(TLS_server_method());
  if (!self->ctx_) return Fail(Errc::kInternal, "TLS set-up failed: {}", SslError());
  SSL_CTX_set_min_proto_version(self->ctx_, TLS1_2_VERSION);
  SSL_CTX_set_options(self->ctx_, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                      SSL_OP_CIPHER_SERVER_PREFERENCE);
  // Idle keep-alive connections need not hold 2 x 16 KiB of record buffers each.
  SSL_CTX_set_mode(self->ctx_, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_cert_cb(self->ctx_, &TlsContext::CertCallback, self.get());
  return self;
}

std::shared_ptr<const TlsIdentity> TlsContext::current() const {
  std::lock_guard lock(mu_);
  return identity_;
}

Status TlsContext::Reload() {
  auto fresh = LoadTlsIdentity(files_);
  if (!fresh) {
    log::Error("tls_reload_failed error={} note={}", log::Quote(fresh.error().message),
               log::Quote("still serving the previous certificate"));
    return fresh.error();
  }
  {
    std::lock_guard lock(mu_);
    identity_ = *fresh;
  }
  LogTlsIdentity("tls_reloaded", **fresh);
  return Ok();
}

int TlsContext::CertCallback(SSL* ssl, void* self) {
  // The SSL takes its own references: the identity may be swapped out once this returns.
  auto id = static_cast<TlsContext*>(self)->current();
  return SSL_use_certificate(ssl, id->cert) == 1 && SSL_use_PrivateKey(ssl, id->key) == 1 &&
                 SSL_set1_chain(ssl, id->chain) == 1
             ? 1
             : 0;
}

TlsListener::TlsListener(int listen_fd, int keep_alive_max_requests, Front::HandOff hand_off)
    : listen_fd_(listen_fd),
      stop_event_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      keep_alive_max_(keep_alive_max_requests),
      hand_off_(std::move(hand_off)) {}

TlsListener::~TlsListener() {
  for (int fd : {listen_fd_, stop_event_})
    if (fd >= 0) close(fd);
}

bool TlsListener::Run() {
  if (stop_event_ < 0) return false;
  bool ok = true;
  for (;;) {
    pollfd p[2] = {{listen_fd_, POLLIN, 0}, {stop_event_, POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    if (p[1].revents & POLLIN) break;
    HandedOff conn;
    conn.fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (conn.fd < 0) {
      // Out of descriptors: wait a little (or for Stop) instead of spinning on the backlog.
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
        poll(&p[1], 1, 100);
      continue;
    }
    httplib::detail::get_remote_ip_and_port(conn.fd, conn.peer_addr, conn.peer_port);
    conn.requests_left = keep_alive_max_;
    hand_off_(std::move(conn));
  }
  close(listen_fd_);  // new connections are refused from here on
  listen_fd_ = -1;
  return ok;
}

void TlsListener::Stop() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(stop_event_, &one, sizeof one);
}

}  // namespace dogwatch::http_internal

namespace dogwatch {

Status CheckTlsFiles(const TlsConfig& tls) {
  if (!tls.enabled()) return Ok();
  auto identity = http_internal::LoadTlsIdentity(tls);
  if (!identity) return identity.error();
  return Ok();
}

}  // namespace dogwatch
