// DESIGN: the main thread blocks SIGTERM, SIGINT and SIGHUP before any other thread exists, so
// every thread inherits the mask and the signals reach only the main thread's sigtimedwait().
// Shutdown order: HTTP (stop accepting, finish in-flight requests), then the store.
#include "dogwatch/app/app.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "dogwatch/core/log.h"
#include "dogwatch/http/server.h"
#include "dogwatch/monitor/monitor.h"
#include "dogwatch/store/store.h"
#include "schedules.h"

namespace dogwatch {
namespace {

// Writes the port to path atomically, so a test that polls for the file never reads half of it.
Status WritePortFile(const std::string& path, int port) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(Errc::kUnavailable, "port file {}: {}", path, std::strerror(errno));
  std::string text = std::to_string(port) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Fail(Errc::kUnavailable, "port file {}: cannot write", path);
  }
  return Ok();
}

constexpr auto kShutdownGrace = std::chrono::milliseconds(4500);

// Blocks in sigtimedwait until SIGTERM or SIGINT (0) or the listener dies (1).
int WaitForStop(const std::atomic<bool>& listener_done, const std::atomic<bool>& listener_failed);

sigset_t ControlSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

int WaitForStop(const std::atomic<bool>& listener_done, const std::atomic<bool>& listener_failed) {
  sigset_t signals = ControlSignals();
  for (;;) {
    timespec tick{1, 0};
    int sig = sigtimedwait(&signals, nullptr, &tick);
    if (listener_done) {
      if (!listener_failed) return 0;
      log::Error("listener_failed");
      return 1;
    }
    if (sig == SIGHUP) {
      log::Info("reload_ignored reason={}", log::Quote("config reload is not implemented yet"));
    } else if (sig == SIGTERM || sig == SIGINT) {
      log::Info("shutdown signal={}", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      return 0;
    }
  }
}

}  // namespace

std::string DatabasePath(const Config& config) {
  return (std::filesystem::path(config.storage.data_dir) / kDatabaseFile).string();
}

int Serve(const Config& config, const ServeOptions& options) {
  log::SetLevel(config.log.level);
  sigset_t signals = ControlSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A file-size limit reached is a failed write (answered 503, retried), not a dead process.
  ::signal(SIGXFSZ, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);

  HttpContext ctx{&config, DatabasePath(config), nullptr, {}, MakeScheduleCompiler(), ValidTimeZone};
  for (const auto& text : config.server.trusted_proxies) ctx.trusted_proxies.push_back(*ParseCidr(text));
  HttpServer http(ctx);
  // Bind before touching the data directory: a busy port leaves nothing behind.
  auto port = http.Bind();
  if (!port) {
    log::Error("startup_failed reason={}", log::Quote(port.error().message));
    return 1;
  }
  auto store = Store::Open({.path = ctx.database_path,
                            .mode = OpenMode::kReadWrite,
                            .full_durability = config.storage.durability == Durability::kFull});
  if (!store) {
    log::Error("startup_failed reason={}", log::Quote(store.error().message));
    return 1;
  }
  log::Info("store_open path={} schema={}", log::Quote(ctx.database_path), (*store)->SchemaVersion());
  SystemClock clock;
  Monitor monitor(*std::move(store), clock, {.ping_retention = config.storage.ping_retention},
                  MakeScheduleCompiler());
  if (auto st = monitor.Start(); !st) {
    log::Error("startup_failed reason={}", log::Quote(st.error().message));
    return 1;
  }
  http.AttachMonitor(&monitor);

  std::atomic<bool> listener_failed{false};
  std::atomic<bool> listener_done{false};
  std::thread listener([&] {
    if (!http.Run()) listener_failed = true;
    listener_done = true;
  });
  if (!options.port_file.empty()) {
    if (auto st = WritePortFile(options.port_file, *port); !st) {
      log::Error("startup_failed reason={}", log::Quote(st.error().message));
      http.Stop();
      listener.join();
      return 1;
    }
  }
  log::Info("listening address={} port={} base_url={} config={}",
            FormatHostPort(config.server.listen), *port, config.server.base_url,
            log::Quote(config.source));

  int exit_code = WaitForStop(listener_done, listener_failed);

  // Shutdown order: HTTP (no new requests; those in flight finish and get their answers), then
  // the monitor (drains its mailbox and commits), then the store closes with it.
  http.Stop();
  // cpp-httplib lets an idle keep-alive connection linger up to keep_alive_timeout after stop().
  // Requests in flight get that long; past it we exit anyway, as SPEC §11 promises to within 5 s.
  auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
  while (!listener_done && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  bool clean = listener_done;
  if (clean) listener.join();
  monitor.Stop();
  log::Info("stopped exit={}{}", exit_code, clean ? "" : " open_connections=abandoned");
  if (!clean) {
    // The listener thread still owns `http`; unwinding would destroy it under that thread.
    std::fflush(nullptr);
    std::_Exit(exit_code);
  }
  return exit_code;
}

}  // namespace dogwatch
