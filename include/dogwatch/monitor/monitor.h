// Monitor: the single writer (DESIGN.md "Threads and ownership"). One thread owns every check's
// live state, the timer wheel and the only write connection. Other threads submit commands and
// get futures (or, for pings, a completion callback); the monitor drains its mailbox in batches,
// applies each batch to memory, writes it in one SQLite transaction (pings, check rows, flips,
// notifications), commits, and only then answers: an answered 200 means "on disk" (group commit,
// as leveldb's DBImpl::Write). Submit*() and Stop() are thread-safe; everything else is internal
// to the monitor thread.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dogwatch/core/clock.h"
#include "dogwatch/core/result.h"
#include "dogwatch/ingest/ping.h"
#include "dogwatch/model/types.h"
#include "dogwatch/monitor/state_machine.h"
#include "dogwatch/store/store.h"

namespace dogwatch {

// Turns a check's schedule into "next fire after t"; injected so the monitor need not know the
// schedule syntax. For simple checks it is not called.
using ScheduleCompiler =
    std::function<Result<std::shared_ptr<const NextFireFn>>(ScheduleKind, const std::string& schedule,
                                                            const std::string& tz)>;

struct MonitorOptions {
  int ping_retention = 100;
  size_t max_batch = 1024;  // commands per transaction
};

// Fields an API create or update sets; absent fields are left alone. Validated by the caller.
struct CheckPatch {
  std::optional<std::string> name, slug, tags, desc;
  std::optional<ScheduleKind> kind;
  std::optional<std::chrono::seconds> timeout, grace;
  std::optional<std::string> schedule, tz;
  std::optional<bool> manual_resume;
  std::optional<std::string> methods;
  std::optional<std::string> start_kw, success_kw, failure_kw;
  std::optional<bool> filter_subject, filter_body, filter_http_body, filter_default_fail;
  std::optional<std::vector<int64_t>> channel_ids;
  // Set only by config reconciliation (kConfig). A create whose `unique` match is a check declared
  // in the config file is refused (kPermissionDenied "managed by the config file") unless the
  // patch comes from the config too.
  std::optional<Source> source;
};

struct PingAck {
  bool created = false;  // auto-provisioned by ?create=1: 201 Created
};

// Receives a ping's answer. Runs on the monitor thread after the ping's batch commits (or fails),
// so it must be quick and must not call back into the Monitor; it may also run on the
// submitting thread, before SubmitPing returns, when the monitor refuses the ping (stopping).
using PingDone = std::function<void(Result<PingAck>)>;

// A ping and where its answer goes, for SubmitPings.
struct PingRequest {
  PingEvent event;
  PingDone done;
};

struct CheckResult {
  Check check;
  bool created = false;  // create: 201 (new) or 200 (matched by `unique`)
};

class Monitor {
 public:
  Monitor(std::unique_ptr<Store> writer, const Clock& clock, MonitorOptions options,
          ScheduleCompiler compiler);
  ~Monitor();
  Monitor(const Monitor&) = delete;
  Monitor& operator=(const Monitor&) = delete;

  // Loads every check, applies the start-up grace rule, rebuilds the wheel, starts the thread.
  Status Start();
  // Stops taking commands, finishes and commits what is queued, joins the thread.
  void Stop();

  // Called on the monitor thread after a commit that queued notifications (wakes the notifier).
  void SetOnNotificationsQueued(std::function<void()> callback);
  // Called on the monitor thread after every turn of its loop, at least once a second while it
  // is healthy: a liveness signal (systemd's watchdog). Stops when the thread hangs, which is the
  // point. Must be quick. REQUIRES: before Start().
  void SetOnLoop(std::function<void()> callback);

  // Errors: kNotFound "not found", kInvalidArgument "invalid url format" (exit status > 255),
  // kConflict "ambiguous slug", kUnavailable when the database write failed or the monitor is
  // stopping. `done` is called exactly once (see PingDone); an event loop uses this form, so it
  // never blocks on the monitor.
  void SubmitPing(PingEvent event, PingDone done);
  // SubmitPing for each of `pings`, under one lock and with one wake-up of the monitor thread,
  // so what an event loop read in one round lands in one batch. Leaves `pings` empty.
  void SubmitPings(std::vector<PingRequest>& pings);
  // The same for a thread that can wait, built on the callback form.
  std::future<Result<PingAck>> SubmitPing(PingEvent event);

  // Project-scoped check commands. kNotFound for an unknown uuid; kPermissionDenied when the
  // check belongs to another project.
  std::future<Result<CheckResult>> CreateCheck(int64_t project_id, CheckPatch patch,
                                               std::vector<std::string> unique);
  std::future<Result<CheckResult>> UpdateCheck(int64_t project_id, std::string uuid,
                                               CheckPatch patch);
  std::future<Result<CheckResult>> PauseCheck(int64_t project_id, std::string uuid);
  // kConflict "check is not paused" unless paused.
  std::future<Result<CheckResult>> ResumeCheck(int64_t project_id, std::string uuid);
  // Returns the check as it was.
  std::future<Result<CheckResult>> DeleteCheck(int64_t project_id, std::string uuid);

  // Number of checks in memory (for logs and tests).
  size_t CheckCount() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Waits for a monitor reply; kUnavailable if it takes longer than timeout (the monitor is stuck
// or the disk is), so an HTTP worker never blocks forever.
template <typename T>
Result<T> AwaitFor(std::future<Result<T>> f, std::chrono::milliseconds timeout) {
  if (f.wait_for(timeout) != std::future_status::ready)
    return Fail(Errc::kUnavailable, "the monitor did not answer in time");
  return f.get();
}

}  // namespace dogwatch
