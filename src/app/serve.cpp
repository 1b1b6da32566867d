// DESIGN: the main thread blocks SIGTERM, SIGINT and SIGHUP before any other thread exists, so
// every thread inherits the mask and the signals reach only the main thread's sigtimedwait().
// Shutdown order: HTTP (stop accepting, finish in-flight requests), then the store.
#include "dogwatch/app/app.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "dogwatch/core/ids.h"
#include "dogwatch/core/log.h"
#include "dogwatch/http/check_json.h"
#include "dogwatch/http/server.h"
#include "dogwatch/monitor/monitor.h"
#include "dogwatch/notify/notifier.h"
#include "dogwatch/store/store.h"
#include "heartbeat.h"
#include "reconcile.h"
#include "sd_notify.h"
#include "schedules.h"

namespace dogwatch {
namespace {

// Writes a number (the port, the pid) to path atomically, so a reader that polls for the file
// never reads half of it.
Status WriteNumberFile(const std::string& path, long number) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(Errc::kUnavailable, "{}: {}", path, std::strerror(errno));
  std::string text = std::to_string(number) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Fail(Errc::kUnavailable, "{}: cannot write", path);
  }
  return Ok();
}

constexpr auto kShutdownGrace = std::chrono::milliseconds(4500);

NotifierOptions NotifierOptionsFrom(const Config& config) {
  NotifierOptions o;
  o.database_path = DatabasePath(config);
  o.workers = config.alerts.workers;
  o.retry_initial = config.alerts.retry_initial;
  o.retry_max = config.alerts.retry_max;
  o.give_up_after = config.alerts.give_up_after;
  o.connect_timeout = config.alerts.connect_timeout;
  o.send_timeout = config.alerts.send_timeout;
  o.user_agent = std::string("dogwatch/") + DOGWATCH_VERSION;
  o.base_url = config.server.base_url;
  o.shell_enabled = config.alerts.shell_enabled;
  const SmtpConfig& m = config.smtp;
  o.smtp.host = m.host;
  o.smtp.port = m.port;
  o.smtp.security = m.security == SmtpTransport::kTls     ? SmtpSecurity::kTls
                    : m.security == SmtpTransport::kPlain ? SmtpSecurity::kNone
                                                          : SmtpSecurity::kStartTls;
  o.smtp.username = m.username;
  o.smtp.password = m.password;
  o.smtp.from = m.from;
  o.smtp.ca_file = m.ca_file;
  o.smtp.connect_timeout = config.alerts.connect_timeout;
  o.smtp.timeout = m.timeout;
  std::string base_url = config.server.base_url;
  o.check_json = [base_url, compile = MakeScheduleCompiler()](const Check& c,
                                                             const std::vector<std::string>& channels) {
    return CheckJsonV3(c, channels, base_url, SystemClock().Now(), compile);
  };
  o.describe_schedule = DescribeCheckSchedule;
  return o;
}

// Blocks in sigtimedwait until SIGTERM or SIGINT (0) or the listener dies (1); SIGHUP calls
// on_reload and waits on.
int WaitForStop(const std::atomic<bool>& listener_done, const std::atomic<bool>& listener_failed,
                const std::function<void()>& on_reload);

sigset_t ControlSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

int WaitForStop(const std::atomic<bool>& listener_done, const std::atomic<bool>& listener_failed,
                const std::function<void()>& on_reload) {
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
      on_reload();
    } else if (sig == SIGTERM || sig == SIGINT) {
      log::Info("shutdown signal={}", sig == SIGTERM ? "SIGTERM" : "SIGINT");
      return 0;
    }
  }
}

void LogCounts(const char* event, const ReconcileCounts& n) {
  log::Info("{} projects_created={} checks_created={} checks_updated={} checks_deleted={} channels_created={} "
            "channels_updated={} channels_deleted={}",
            event, n.projects_created, n.checks_created, n.checks_updated, n.checks_deleted, n.channels_created,
            n.channels_updated, n.channels_deleted);
}

// SIGHUP: the file is read again; its declarations are applied only if all of it is valid, so a
// bad edit leaves the running configuration as it was. Other settings wait for a restart.
void Reload(const Config& running, const ServeOptions& options, const std::string& database_path, Monitor& monitor,
            Notifier& notifier) {
  if (!options.reload) return;
  auto fresh = options.reload();
  Status st = fresh ? ValidateDeclared(*fresh, MakeScheduleCompiler()) : Status(fresh.error());
  if (!st) {
    log::Error("reload_failed error={} note={}", log::Quote(st.error().message),
               log::Quote("the running configuration is unchanged"));
    return;
  }
  auto counts = Reconcile(*fresh, database_path, monitor, notifier);
  if (!counts) {
    log::Error("reload_failed error={}", log::Quote(counts.error().message));
    return;
  }
  LogCounts("reloaded", *counts);
  if (RenderConfig(*fresh) != RenderConfig(running))
    log::Warn("reload_partial note={}",
              log::Quote("changed settings outside [[project]], [[check]] and [[channel]] take effect at restart"));
}

}  // namespace

std::string PidFilePath(const Config& config) {
  return (std::filesystem::path(config.storage.data_dir) / "dogwatch.pid").string();
}

Status ValidateConfigDeclarations(const Config& config) { return ValidateDeclared(config, MakeScheduleCompiler()); }

Status ValidateTlsFiles(const Config& config) { return CheckTlsFiles(config.server.tls); }

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

  HttpContext ctx{.config = &config,
                  .database_path = DatabasePath(config),
                  .compile_schedule = MakeScheduleCompiler(),
                  .valid_tz = ValidTimeZone,
                  .describe_schedule = DescribeCheckSchedule};
  for (const auto& text : config.server.trusted_proxies) ctx.trusted_proxies.push_back(*ParseCidr(text));
  // Declarations that cannot work stop the start-up here, before anything runs.
  if (auto st = ValidateDeclared(config, ctx.compile_schedule); !st) {
    log::Error("startup_failed reason={}", log::Quote(st.error().message));
    return 1;
  }
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
  auto secret = (*store)->InstanceSecret();
  if (!secret) {
    log::Error("startup_failed reason={}", log::Quote(secret.error().message));
    return 1;
  }
  // First run: no user yet, so the UI offers set-up to whoever holds this URL, which only the
  // person reading the server's log has. A new token each start; it dies with the first user.
  std::string setup_token;
  if ((*store)->CountUsers() == 0) {
    setup_token = RandomUrlSafe(32);
    // Quoted always (base_url has no quotes or spaces), so scripts can cut it out of the line.
    log::Warn("first_run setup_url=\"{}/setup?token={}\" note={}", config.server.base_url, setup_token,
              log::Quote("open this URL to create the first account, or run: dogwatch user add EMAIL"));
  }
  http.AttachAccounts(setup_token, *secret);
  SystemClock clock;
  Notifier notifier(NotifierOptionsFrom(config), clock);
  if (auto st = notifier.Start(); !st) {
    log::Error("startup_failed reason={}", log::Quote(st.error().message));
    return 1;
  }
  Monitor monitor(*std::move(store), clock, {.ping_retention = config.storage.ping_retention},
                  MakeScheduleCompiler());
  // A committed flip wakes the notifier (DESIGN.md: monitor and notify meet only here).
  monitor.SetOnNotificationsQueued([&notifier] { notifier.Wake(); });
  // systemd's watchdog is fed from the monitor's own loop: if that thread hangs, the keep-alives
  // stop and systemd restarts the service (WatchdogSec= in systemd/dogwatch.service).
  SdNotifier systemd;
  // [heartbeat]: the external dead man's switch hears from us only while the monitor loop runs.
  Heartbeat heartbeat({.url = config.heartbeat.url,
                       .interval = config.heartbeat.interval,
                       .user_agent = std::string("dogwatch/") + DOGWATCH_VERSION,
                       .connect_timeout = config.alerts.connect_timeout,
                       .send_timeout = std::min(config.alerts.send_timeout, config.heartbeat.interval)});
  monitor.SetOnLoop([&systemd, &heartbeat] {
    systemd.WatchdogTick();
    heartbeat.MarkAlive();
  });
  if (auto st = monitor.Start(); !st) {
    log::Error("startup_failed reason={}", log::Quote(st.error().message));
    return 1;
  }
  http.AttachMonitor(&monitor);
  http.AttachNotifier(&notifier);
  if (auto counts = Reconcile(config, ctx.database_path, monitor, notifier); counts) {
    if (config.declared.any() || counts->checks_deleted || counts->channels_deleted) LogCounts("config_applied", *counts);
  } else {
    log::Error("startup_failed reason={}", log::Quote(counts.error().message));
    monitor.Stop();
    notifier.Stop(std::chrono::seconds(2));
    return 1;
  }
  // `dogwatch reload` finds the server by this file and sends it SIGHUP.
  const std::string pid_file = PidFilePath(config);
  if (auto st = WriteNumberFile(pid_file, ::getpid()); !st)
    log::Warn("pid_file_failed error={} note={}", log::Quote(st.error().message),
              log::Quote("dogwatch reload cannot find this server; send SIGHUP instead"));

  std::atomic<bool> listener_failed{false};
  std::atomic<bool> listener_done{false};
  std::thread listener([&] {
    if (!http.Run()) listener_failed = true;
    listener_done = true;
  });
  if (!options.port_file.empty()) {
    if (auto st = WriteNumberFile(options.port_file, *port); !st) {
      log::Error("startup_failed reason={}", log::Quote(st.error().message));
      http.Stop();
      listener.join();
      return 1;
    }
  }
  log::Info("listening address={} port={} base_url={} config={}",
            FormatHostPort(config.server.listen), *port, config.server.base_url,
            log::Quote(config.source));
  systemd.Send(fmt::format("READY=1\nSTATUS=Serving {} checks on port {}", monitor.CheckCount(), *port));
  heartbeat.Start();

  int exit_code = WaitForStop(listener_done, listener_failed,
                              [&] {
                                Reload(config, options, ctx.database_path, monitor, notifier);
                                http.ReloadTls();  // [server.tls]: a renewed certificate
                                systemd.Send(fmt::format("STATUS=Serving {} checks on port {}", monitor.CheckCount(), *port));
                              });
  systemd.Send("STOPPING=1\nSTATUS=Stopping");
  ::unlink(pid_file.c_str());

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
  // Sends in flight are cut short and stay pending: they go out after the restart.
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  if (!notifier.Stop(std::max(left, std::chrono::milliseconds(200)))) clean = false;
  heartbeat.Stop();
  log::Info("stopped exit={}{}", exit_code, clean ? "" : " open_connections=abandoned");
  if (!clean) {
    // The listener thread still owns `http`; unwinding would destroy it under that thread.
    std::fflush(nullptr);
    std::_Exit(exit_code);
  }
  return exit_code;
}

}  // namespace dogwatch
