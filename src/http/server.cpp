#include "dogwatch/http/server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "dogwatch/core/counters.h"
#include "dogwatch/core/log.h"
#include "fast_ping.h"
#include "front.h"
#include "handoff.h"
#include "request_deadline.h"
#include "routes.h"
#include "tls.h"

namespace dogwatch {
namespace {

// Set by the pre-routing hook and read by the logger, which cpp-httplib runs on the same worker
// thread for the same request.
thread_local std::chrono::steady_clock::time_point t_request_start;

bool SecretChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// A listening socket as cpp-httplib made one (TCP_NODELAY, dual-stack IPv6, backlog 4096), but
// with SO_REUSEADDR instead of its SO_REUSEPORT: with that, a second dogwatch on the same port
// would start and silently share the traffic instead of being refused.
Result<int> Listen(const HostPort& hp) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  if (getaddrinfo(hp.host.c_str(), std::to_string(hp.port).c_str(), &hints, &res) != 0 || !res)
    return Fail(Errc::kUnavailable, "not a numeric IP address");
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int yes = 1, no = 0;
  bool ok = fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) == 0;
  // Without TCP_NODELAY a keep-alive response waits ~40 ms on the client's delayed ACK. Set on
  // the listening socket, Linux carries it to every accepted one.
  ok = ok && setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes) == 0;
  // accept() only once a connection's first bytes are in: the front reads the request at once
  // instead of registering the socket and waiting for epoll (crontab's connection per ping).
  // A client that sends nothing is still accepted, after about a second.
  int defer_seconds = 1;
  if (ok) setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer_seconds, sizeof defer_seconds);
  if (ok && res->ai_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &no, sizeof no);
  // A burst of crontab pings at the top of the minute needs a deep backlog (somaxconn's cap).
  ok = ok && bind(fd, res->ai_addr, res->ai_addrlen) == 0 && listen(fd, 4096) == 0;
  std::string why = ok ? "" : std::strerror(errno);
  freeaddrinfo(res);
  if (!ok) {
    if (fd >= 0) close(fd);
    return Fail(Errc::kUnavailable, "{}", why);
  }
  return fd;
}

int LocalPort(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
}

}  // namespace

std::string RedactPath(std::string_view path) {
  path = path.substr(0, path.find('?'));
  std::string out;
  out.reserve(path.size());
  size_t i = 0;
  while (i < path.size()) {
    size_t j = i;
    while (j < path.size() && SecretChar(path[j])) ++j;
    if (j == i) {
      out += path[i++];
      continue;
    }
    std::string_view segment = path.substr(i, j - i);
    out += segment.size() >= 20 ? segment.substr(0, 8) : segment;
    i = j;
  }
  return out;
}

// DESIGN: the front (front.h) owns the listening socket and answers pings on its event-loop
// thread; every other connection is handed to cpp-httplib (handoff.h), configured here as it
// always was, and served on the worker pool (request_deadline.h, [server] threads) until it
// closes. Run() is the front's loop; the pool is joined when it returns. With [server.tls] the
// front cannot read the bytes, so a plain accept loop (tls.h) takes its place and the same
// cpp-httplib server serves every connection over TLS, pings included (TryFastPing).
struct HttpServer::Impl {
  HttpContext ctx;
  http_internal::HandOffServer server;
  std::unique_ptr<http_internal::Front> front;              // plaintext
  std::unique_ptr<http_internal::TlsContext> tls;           // [server.tls]
  std::unique_ptr<http_internal::TlsListener> tls_listener;  // [server.tls]
  std::unique_ptr<http_internal::WorkerPool> pool;
  std::atomic<bool> stopping{false};

  // Binds the TLS mode's listener; the certificate is loaded already.
  void ListenTls(int fd) {
    tls_listener = std::make_unique<http_internal::TlsListener>(
        fd, ctx.config->server.keep_alive_max_requests, [this](http_internal::HandedOff conn) {
          int stop_fd = tls_listener->stop_fd();
          pool->enqueue([this, stop_fd, conn = std::move(conn)]() mutable {
            server.ServeTls(std::move(conn), stop_fd, *tls);
          });
        });
  }
};

HttpServer::HttpServer(HttpContext context) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = std::move(context);
  const ServerConfig& sc = impl_->ctx.config->server;
  auto& s = impl_->server;
  s.set_keep_alive_max_count(static_cast<size_t>(sc.keep_alive_max_requests));
  s.set_keep_alive_timeout(sc.keep_alive_timeout.count());
  s.set_read_timeout(sc.read_timeout.count());
  s.set_write_timeout(sc.write_timeout.count());
  // Ping bodies are streamed and cut (ping_routes.cpp), so the hard cap is generous; other
  // requests are held to max_request_body by their Content-Length before the body is read.
  s.set_payload_max_length(http_internal::kHardBodyCap);
  const size_t api_limit = static_cast<size_t>(sc.max_request_body);
  const HttpContext& ctx = impl_->ctx;
  s.set_pre_routing_handler([api_limit, &ctx](const httplib::Request& req, httplib::Response& res) {
    t_request_start = std::chrono::steady_clock::now();
    if (http_internal::TryFastPing(ctx, req, res)) return httplib::Server::HandlerResponse::Handled;
    if (req.path.rfind("/ping/", 0) != 0 && std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10) > api_limit) {
      res.status = 413;
      res.set_header("Connection", "close");
      res.set_content("request body too large", "text/plain");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  const bool access_log = impl_->ctx.config->log.access_log;
  s.set_logger([access_log](const httplib::Request& req, const httplib::Response& res) {
    // The response is written: the next bytes on this connection are a new request.
    http_internal::StartNextRequest();
    CountHttpStatus(res.status);  // GET /metrics
    if (!access_log) return;
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - t_request_start)
                  .count();
    log::Info("http method={} path={} status={} ms={:.1f} remote={}", req.method,
              log::Quote(RedactPath(req.path)), res.status, us / 1000.0, req.remote_addr);
  });
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::Error("http_exception path={} error={}", log::Quote(RedactPath(req.path)), log::Quote(what));
    res.status = 500;
    res.set_content("internal error", "text/plain");
  });
  http_internal::RegisterRoutes(s, impl_->ctx);
}

HttpServer::~HttpServer() = default;

Result<int> HttpServer::Bind() {
  const ServerConfig& sc = impl_->ctx.config->server;
  if (sc.tls.enabled()) {
    auto tls = http_internal::TlsContext::Create(sc.tls);
    if (!tls) return tls.error();
    impl_->tls = *std::move(tls);
  }
  const HostPort& hp = sc.listen;
  auto fd = Listen(hp);
  if (!fd) {
    return Fail(Errc::kUnavailable, "cannot listen on {}: {}", FormatHostPort(hp),
                fd.error().message);
  }
  int port = LocalPort(*fd);
  Impl* impl = impl_.get();
  if (impl->tls) {
    impl->ListenTls(*fd);
    http_internal::LogTlsIdentity("tls_ready", *impl->tls->current());
    if (sc.base_url.rfind("https://", 0) != 0)
      log::Warn("tls_base_url base_url={} note={}", sc.base_url,
                log::Quote("[server.tls] serves https: set [server] base_url to the https:// URL users reach"));
    if (impl->stopping) impl->tls_listener->Stop();
    return port;
  }
  impl->front = std::make_unique<http_internal::Front>(
      impl->ctx, *fd, [impl](http_internal::HandedOff conn) {
        int stop_fd = impl->front->stop_fd();
        impl->pool->enqueue([impl, stop_fd, conn = std::move(conn)]() mutable {
          impl->server.ServeHandedOff(std::move(conn), stop_fd);
        });
      });
  if (impl->stopping) impl->front->Stop();
  return port;
}

void HttpServer::AttachMonitor(Monitor* monitor) { impl_->ctx.monitor = monitor; }

void HttpServer::AttachNotifier(Notifier* notifier) { impl_->ctx.notifier = notifier; }

void HttpServer::AttachAccounts(std::string setup_token, std::string badge_secret) {
  impl_->ctx.setup_token = std::move(setup_token);
  impl_->ctx.badge_secret = std::move(badge_secret);
}

bool HttpServer::Run() {
  if (!impl_->front && !impl_->tls_listener) return false;
  const ServerConfig& sc = impl_->ctx.config->server;
  impl_->pool = std::make_unique<http_internal::WorkerPool>(
      static_cast<size_t>(sc.threads),
      std::chrono::duration_cast<std::chrono::milliseconds>(sc.read_timeout));
  bool ok = impl_->front ? impl_->front->Run() : impl_->tls_listener->Run();
  // Handed-off connections finish the request they are in; idle ones close at once (stop_fd).
  impl_->server.set_stopping();
  impl_->pool->shutdown();
  return ok || impl_->stopping.load();
}

void HttpServer::Stop() {
  impl_->stopping = true;
  impl_->server.set_stopping();
  if (impl_->front) impl_->front->Stop();
  if (impl_->tls_listener) impl_->tls_listener->Stop();
}

void HttpServer::ReloadTls() {
  if (impl_->tls) (void)impl_->tls->Reload();
}

}  // namespace dogwatch
