// dogwatch run -- CMD... | dogwatch ping TARGET: the commands jobs use to report to a dogwatch (or
// Healthchecks) server through the Pinging API. Neither needs a config file or a database.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <optional>

#include "context.h"
#include "dogwatch/core/ids.h"
#include "ping_client.h"
#include "run_child.h"

namespace dogwatch::cli {
namespace {

constexpr size_t kPingStdinLimit = 100 * 1024;
constexpr int kMaxTailKb = 10 * 1024;

struct JobOptions {
  PingTarget target;
  double timeout_s = 10;
  std::string rid;
  // run
  int tail_kb = 10;
  std::vector<std::string> command;
  // ping
  std::string what;  // UUID, slug or full ping URL
  bool start = false;
  bool fail = false;
  bool log = false;
  std::optional<int> exit_status;
};

void AddTargetOptions(CLI::App& cmd, JobOptions& o) {
  cmd.add_option("--url", o.target.base_url, "The server's base URL, e.g. http://127.0.0.1:8000")
      ->envname("DOGWATCH_URL");
  cmd.add_option("--ping-key", o.target.ping_key, "The project's ping key, for slugs")
      ->envname("DOGWATCH_PING_KEY");
  cmd.add_flag("--create", o.target.create, "With a slug: create the check if it does not exist");
  cmd.add_option("--timeout", o.timeout_s,
                 "Seconds for each ping message, all retries included (default 10)")
      ->check(CLI::Range(0.1, 3600.0));
}

std::chrono::milliseconds Timeout(const JobOptions& o) {
  return std::chrono::milliseconds(static_cast<int64_t>(o.timeout_s * 1000));
}

int UsageError(const std::string& command, const std::string& message) {
  fmt::print(stderr, "dogwatch {}: {}\nRun with --help for more information.\n", command, message);
  return kExitUsage;
}

// Leaves without exit handlers when a ping thread is stuck (see PingInFlight).
int Finish(int code, bool abandoned) {
  if (!abandoned) return code;
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(code);
}

int Run(JobOptions& o) {
  auto url = ResolvePingUrl(o.target);
  if (!url) return UsageError("run", url.error().message);
  std::string rid = o.rid;
  if (rid.empty() || rid == "auto") rid = NewUuid();
  if (!LooksLikeUuid(rid))
    return UsageError("run", fmt::format("--rid: '{}' is not auto or a UUID", o.rid));

  TailBuffer tail(static_cast<size_t>(o.tail_kb) * 1024);
  std::optional<PingInFlight> start;
  ChildOutcome child = RunChild(o.command, tail, [&] {
    start.emplace(PingMessage{PingUrlFor(*url, "start", rid, o.target.create), "", Timeout(o)});
  });
  std::string body;
  if (child.exec_error) {
    body = fmt::format("dogwatch run: {}\n", *child.exec_error);
    fmt::print(stderr, "{}", body);
  }

  // The finish goes after the start has been answered (or given up), so the two cannot cross.
  PingOutcome started = start->Wait();
  if (!started.ok) fmt::print(stderr, "dogwatch run: {}\n", started.error);
  if (!child.exec_error)
    body = tail.Last(started.body_limit.value_or(std::numeric_limits<size_t>::max()));
  PingInFlight finish(PingMessage{
      PingUrlFor(*url, std::to_string(child.exit_code), rid, o.target.create), body, Timeout(o)});
  PingOutcome finished = finish.Wait();
  if (!finished.ok) fmt::print(stderr, "dogwatch run: {}\n", finished.error);
  return Finish(child.exit_code, start->abandoned() || finish.abandoned());
}

// Up to limit bytes of stdin; the rest is read and dropped, so a writer never gets SIGPIPE.
std::string ReadStdinCapped(size_t limit) {
  std::string out;
  char buf[16 * 1024];
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    size_t keep = std::min(static_cast<size_t>(n), limit - out.size());
    out.append(buf, keep);
  }
  return out;
}

int Ping(JobOptions& o) {
  if (o.what.starts_with("http://") || o.what.starts_with("https://")) {
    o.target.ping_url = o.what;
  } else if (LooksLikeUuid(o.what)) {
    o.target.uuid = o.what;
  } else {
    o.target.slug = o.what;
  }
  // ResolvePingUrl names run's flags; ping's TARGET gets its own words for the common mistakes.
  const char* kind = o.target.uuid.empty() ? "a slug" : "a UUID";
  if (o.target.ping_url.empty() && o.target.base_url.empty())
    return UsageError(
        "ping",
        fmt::format("TARGET is {}: it needs --url or DOGWATCH_URL (the server's base URL)", kind));
  if (!o.target.slug.empty() && o.target.ping_key.empty())
    return UsageError(
        "ping",
        fmt::format("TARGET '{}' is not a UUID or an http(s) URL, so it is a slug: it needs "
                    "--ping-key or DOGWATCH_PING_KEY",
                    o.what));
  auto url = ResolvePingUrl(o.target);
  if (!url) return UsageError("ping", url.error().message);
  if (!o.rid.empty() && !LooksLikeUuid(o.rid))
    return UsageError("ping", fmt::format("--rid: '{}' is not a UUID", o.rid));
  std::string suffix = o.start         ? "start"
                       : o.fail        ? "fail"
                       : o.log         ? "log"
                       : o.exit_status ? std::to_string(*o.exit_status)
                                       : "";
  std::string body = isatty(0) ? "" : ReadStdinCapped(kPingStdinLimit);
  signal(SIGPIPE, SIG_IGN);  // httplib writes to sockets without MSG_NOSIGNAL
  PingInFlight ping(
      PingMessage{PingUrlFor(*url, suffix, o.rid, o.target.create), body, Timeout(o)});
  PingOutcome outcome = ping.Wait();
  int code = kExitOk;
  if (!outcome.ok) {
    fmt::print(stderr, "dogwatch ping: {}\n", outcome.error);
    code = kExitFailure;
  }
  return Finish(code, ping.abandoned());
}

void AddRunCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<JobOptions>();
  auto* cmd = app.add_subcommand(
      "run", "Run a job and report it: /start, then its exit status and the tail of its output");
  cmd->add_option("--uuid", o->target.uuid, "The check's UUID (with --url)");
  cmd->add_option("--slug", o->target.slug, "The check's slug (with --url and --ping-key)");
  cmd->add_option("--ping-url", o->target.ping_url, "A complete ping URL; suffixes are appended");
  AddTargetOptions(*cmd, *o);
  cmd->add_option("--rid", o->rid, "Run ID: auto (a new UUID, the default) or a UUID");
  cmd->add_option("--tail-kb", o->tail_kb,
                  "KiB of the end of the job's output to send (default 10)")
      ->check(CLI::Range(0, kMaxTailKb));
  cmd->add_option("CMD", o->command, "The job and its arguments, after --")->required();
  cmd->callback([&ctx, o] { ctx.action = [o] { return Run(*o); }; });
}

void AddPingCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<JobOptions>();
  auto* cmd = app.add_subcommand(
      "ping", "Send one ping (success, --start, --fail, --log or --exit N); the body is stdin");
  auto* start = cmd->add_flag("--start", o->start, "Send /start");
  auto* fail = cmd->add_flag("--fail", o->fail, "Send /fail");
  auto* log = cmd->add_flag("--log", o->log, "Send /log");
  auto* exit = cmd->add_option("--exit", o->exit_status, "Send the exit status N (0-255)")
                   ->check(CLI::Range(0, 255));
  start->excludes(fail, log, exit);
  fail->excludes(log, exit);
  log->excludes(exit);
  cmd->add_option("--rid", o->rid, "Run ID (a UUID), to pair a start with its finish");
  AddTargetOptions(*cmd, *o);
  cmd->add_option("TARGET", o->what, "A check UUID, a slug (needs the ping key) or a full ping URL")
      ->required();
  cmd->callback([&ctx, o] { ctx.action = [o] { return Ping(*o); }; });
}

}  // namespace

void AddJobCommands(CLI::App& app, Context& ctx) {
  AddRunCommand(app, ctx);
  AddPingCommand(app, ctx);
}

}  // namespace dogwatch::cli
