#include "dogwatch/http/server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "dogwatch/core/log.h"
#include "request_deadline.h"
#include "routes.h"

namespace dogwatch {
namespace {

// Set by the pre-routing hook and read by the logger, which cpp-httplib runs on the same worker
// thread for the same request.
thread_local std::chrono::steady_clock::time_point t_request_start;

// The most any request may send, pings included (a 10 MB ping body is read, cut and recorded).
constexpr size_t kHardBodyCap = size_t{64} << 20;

bool SecretChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// cpp-httplib does not say why a bind failed; try the same bind to learn errno.
std::string BindFailureReason(const HostPort& hp) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  if (getaddrinfo(hp.host.c_str(), std::to_string(hp.port).c_str(), &hints, &res) != 0 || !res)
    return "not a numeric IP address";
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int yes = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  std::string why = "unknown error";
  if (fd >= 0 && bind(fd, res->ai_addr, res->ai_addrlen) != 0) why = std::strerror(errno);
  if (fd >= 0) close(fd);
  freeaddrinfo(res);
  return why;
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

struct HttpServer::Impl {
  HttpContext ctx;
  httplib::Server server;
  std::atomic<bool> stopping{false};
};

HttpServer::HttpServer(HttpContext context) : impl_(std::make_unique<Impl>()) {
  impl_->ctx = std::move(context);
  const ServerConfig& sc = impl_->ctx.config->server;
  auto& s = impl_->server;
  auto threads = static_cast<size_t>(sc.threads);
  auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(sc.read_timeout);
  s.new_task_queue = [threads, deadline] { return new http_internal::WorkerPool(threads, deadline); };
  // Without TCP_NODELAY a keep-alive response waits ~40 ms on the client's delayed ACK. Set on
  // the listening socket, Linux carries it to every accepted one.
  s.set_tcp_nodelay(true);
  s.set_keep_alive_max_count(static_cast<size_t>(sc.keep_alive_max_requests));
  s.set_keep_alive_timeout(sc.keep_alive_timeout.count());
  s.set_read_timeout(sc.read_timeout.count());
  s.set_write_timeout(sc.write_timeout.count());
  // Ping bodies are streamed and cut (ping_routes.cpp), so the hard cap is generous; other
  // requests are held to max_request_body by their Content-Length before the body is read.
  s.set_payload_max_length(kHardBodyCap);
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
  const HostPort& hp = impl_->ctx.config->server.listen;
  int port = hp.port == 0 ? impl_->server.bind_to_any_port(hp.host)
                          : (impl_->server.bind_to_port(hp.host, hp.port) ? hp.port : -1);
  if (port < 0) {
    return Fail(Errc::kUnavailable, "cannot listen on {}: {}", FormatHostPort(hp),
                BindFailureReason(hp));
  }
  return port;
}

void HttpServer::AttachMonitor(Monitor* monitor) { impl_->ctx.monitor = monitor; }

bool HttpServer::Run() {
  bool ok = impl_->server.listen_after_bind();
  return ok || impl_->stopping.load();
}

void HttpServer::Stop() {
  impl_->stopping = true;
  impl_->server.stop();
}

}  // namespace dogwatch
