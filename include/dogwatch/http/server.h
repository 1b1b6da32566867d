// HttpServer: an event-loop front that answers pings itself (src/http/front.h) and hands every
// other connection to cpp-httplib, configured from [server] (threads, keep-alive, timeouts,
// request limits), with the routes of routes.cpp and the access log. With [server.tls], every
// connection is served over TLS by cpp-httplib on the worker pool instead (src/http/tls.h).
// Bind() and Run() belong to the thread that owns the server (Run() is the front's loop); Stop()
// and ReloadTls() may be called from any thread; Stop() lets requests in flight finish before
// Run() returns.
#pragma once

#include <memory>
#include <string>

#include "dogwatch/config/config.h"
#include "dogwatch/core/net.h"
#include "dogwatch/core/result.h"
#include "dogwatch/monitor/monitor.h"
#include "dogwatch/notify/notifier.h"

namespace dogwatch {

struct HttpContext {
  const Config* config = nullptr;
  std::string database_path;  // each worker thread opens its own read connection to it
  Monitor* monitor = nullptr;
  Notifier* notifier = nullptr;  // channel writes and test sends
  std::vector<Cidr> trusted_proxies;  // parsed from config.server.trusted_proxies
  ScheduleCompiler compile_schedule;  // for API validation and computed status of cron checks
  std::function<bool(const std::string&)> valid_tz;
  std::function<std::string(const Check&)> describe_schedule;  // for the UI's schedule in words
  // First-run set-up (docs/web-ui.md): the token of the URL logged at start-up while no user
  // exists; empty when set-up is not offered.
  std::string setup_token;
  std::string badge_secret;  // signs project badge URLs (Store::InstanceSecret)
};

class HttpServer {
 public:
  explicit HttpServer(HttpContext context);
  ~HttpServer();

  // Binds the listening socket; returns the port (the real one when [server] listen asks for 0).
  // kUnavailable with the reason when the address is in use or not ours to bind.
  Result<int> Bind();
  // Hands the routes their monitor. REQUIRES: before Run(); bound first so that a busy port is
  // reported before the database is touched.
  void AttachMonitor(Monitor* monitor);
  // Likewise for the notifier (the channel endpoints). REQUIRES: before Run().
  void AttachNotifier(Notifier* notifier);
  // The first-run set-up token ("" for none) and the badge-signing secret. REQUIRES: before Run().
  void AttachAccounts(std::string setup_token, std::string badge_secret);
  // Serves until Stop(). Returns false if the listener failed rather than being stopped.
  bool Run();
  void Stop();
  // SIGHUP: reads [server.tls]'s files again; new handshakes use them if they load, else the old
  // pair stays (logged either way). Does nothing without TLS.
  void ReloadTls();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The path as the access log shows it: no query string, and any segment that looks like a
// secret (UUIDs, ping keys, API keys: 20+ characters of [A-Za-z0-9_-]) cut to 8 characters.
std::string RedactPath(std::string_view path);

// [server.tls]'s files as Bind() will load them: readable, PEM, and a key that belongs to the
// certificate; the error names the key and the file. Ok without TLS. For `config check`.
Status CheckTlsFiles(const TlsConfig& tls);

}  // namespace dogwatch
