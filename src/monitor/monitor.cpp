// DESIGN: the monitor thread sleeps until a command arrives or the next wheel deadline, whichever
// is first (at most 1 s, so a wall-clock jump is noticed). It then drains up to max_batch
// commands, applies them and the due deadlines inside one BEGIN IMMEDIATE transaction, commits,
// and only then answers. If the transaction fails (disk full, I/O error), it rolls back, reloads
// every check the batch touched from the database (the truth), and answers every command with
// kUnavailable: nothing in memory is ahead of the disk. No network I/O happens on this thread.
#include "dogwatch/monitor/monitor.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <thread>

#include "dogwatch/core/counters.h"
#include "dogwatch/core/ids.h"
#include "dogwatch/core/overloaded.h"
#include "dogwatch/core/log.h"
#include "dogwatch/store/checkpoint.h"
#include "impl.h"

namespace dogwatch {

using monitor_internal::Command;
using monitor_internal::CreateCmd;
using monitor_internal::EditCmd;
using monitor_internal::PingCmd;

namespace {

template <typename T>
std::future<Result<T>> Refused(const char* why) {
  std::promise<Result<T>> p;
  p.set_value(Fail(Errc::kUnavailable, "{}", why));
  return p.get_future();
}

}  // namespace

Monitor::Monitor(std::unique_ptr<Store> writer, const Clock& clock, MonitorOptions options,
                 ScheduleCompiler compiler)
    : impl_(std::make_unique<Impl>(std::move(writer), clock, options, std::move(compiler))) {}

Monitor::~Monitor() { Stop(); }

Status Monitor::Start() {
  // Checkpoints off this thread: a checkpoint's fdatasync()s would otherwise stall a batch.
  // Without the thread SQLite's own automatic checkpoint stays on, so this is not fatal.
  if (auto st = StartBackgroundCheckpoints(*impl_->db); !st)
    log::Warn("wal_checkpointer_not_started error={}", log::Quote(st.error().message));
  if (auto st = impl_->Load(impl_->clock.Now()); !st) return st;
  if (const char* stall = std::getenv("DOGWATCH_TEST_MONITOR_STALL_MS")) {
    impl_->test_stall = std::chrono::milliseconds(std::max(0L, std::strtol(stall, nullptr, 10)));
    if (impl_->test_stall.count() > 0)
      log::Warn("test_fault monitor_stall_ms={} (DOGWATCH_TEST_MONITOR_STALL_MS)",
                impl_->test_stall.count());
  }
  {
    std::lock_guard lock(impl_->mu);
    impl_->accepting = true;
  }
  impl_->thread = std::thread([this] { impl_->Loop(); });
  return Ok();
}

void Monitor::Stop() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->accepting = false;
    impl_->stop_requested = true;
  }
  impl_->cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void Monitor::SetOnNotificationsQueued(std::function<void()> callback) {
  impl_->on_notifications = std::move(callback);
}

void Monitor::SetOnLoop(std::function<void()> callback) { impl_->on_loop = std::move(callback); }

size_t Monitor::CheckCount() const { return impl_->check_count.load(); }

bool Monitor::Impl::Enqueue(Command&& cmd) {
  {
    std::lock_guard lock(mu);
    if (!accepting) return false;
    inbox.push_back(std::move(cmd));
  }
  cv.notify_one();
  return true;
}

void Monitor::SubmitPing(PingEvent event, PingDone done) {
  Command cmd{PingCmd{std::move(event), std::move(done)}};
  // Enqueue moves from cmd only when it accepts it.
  if (!impl_->Enqueue(std::move(cmd)))
    std::get<PingCmd>(cmd).done(Fail(Errc::kUnavailable, "dogwatch is shutting down"));
}

void Monitor::SubmitPings(std::vector<PingRequest>& pings) {
  bool accepted;
  {
    std::lock_guard lock(impl_->mu);
    accepted = impl_->accepting;
    if (accepted) {
      for (auto& p : pings) impl_->inbox.push_back(PingCmd{std::move(p.event), std::move(p.done)});
    }
  }
  if (accepted) {
    impl_->cv.notify_one();
  } else {
    for (auto& p : pings) p.done(Fail(Errc::kUnavailable, "dogwatch is shutting down"));
  }
  pings.clear();
}

std::future<Result<PingAck>> Monitor::SubmitPing(PingEvent event) {
  auto reply = std::make_shared<std::promise<Result<PingAck>>>();
  auto future = reply->get_future();
  SubmitPing(std::move(event), [reply](Result<PingAck> r) { reply->set_value(std::move(r)); });
  return future;
}

std::future<Result<CheckResult>> Monitor::CreateCheck(int64_t project_id, CheckPatch patch,
                                                      std::vector<std::string> unique) {
  auto reply = std::make_shared<std::promise<Result<CheckResult>>>();
  auto future = reply->get_future();
  if (!impl_->Enqueue(CreateCmd{project_id, std::move(patch), std::move(unique), reply}))
    return Refused<CheckResult>("dogwatch is shutting down");
  return future;
}

namespace {

std::future<Result<CheckResult>> SubmitEdit(Monitor::Impl& impl, monitor_internal::EditKind kind,
                                            int64_t project_id, std::string uuid, CheckPatch patch) {
  auto reply = std::make_shared<std::promise<Result<CheckResult>>>();
  auto future = reply->get_future();
  if (!impl.Enqueue(EditCmd{kind, project_id, std::move(uuid), std::move(patch), reply}))
    return Refused<CheckResult>("dogwatch is shutting down");
  return future;
}

}  // namespace

std::future<Result<CheckResult>> Monitor::UpdateCheck(int64_t project_id, std::string uuid,
                                                      CheckPatch patch) {
  return SubmitEdit(*impl_, monitor_internal::EditKind::kUpdate, project_id, std::move(uuid),
                    std::move(patch));
}
std::future<Result<CheckResult>> Monitor::PauseCheck(int64_t project_id, std::string uuid) {
  return SubmitEdit(*impl_, monitor_internal::EditKind::kPause, project_id, std::move(uuid), {});
}
std::future<Result<CheckResult>> Monitor::ResumeCheck(int64_t project_id, std::string uuid) {
  return SubmitEdit(*impl_, monitor_internal::EditKind::kResume, project_id, std::move(uuid), {});
}
std::future<Result<CheckResult>> Monitor::DeleteCheck(int64_t project_id, std::string uuid) {
  return SubmitEdit(*impl_, monitor_internal::EditKind::kDelete, project_id, std::move(uuid), {});
}

void Monitor::Impl::Loop() {
  std::vector<Command> batch;
  // For the stop line: the mean batch is what group commit amortizes a transaction over.
  uint64_t batches = 0, commands = 0;
  for (;;) {
    batch.clear();
    {
      std::unique_lock lock(mu);
      if (inbox.empty() && !stop_requested) {
        // Sleep until the next deadline second, at most 1 s.
        auto wait = std::chrono::milliseconds(1000);
        if (auto next = wheel.NextDue()) {
          int64_t ms = *next * 1000 - ToUnixMicros(clock.Now()) / 1000;
          wait = std::clamp(std::chrono::milliseconds(ms), std::chrono::milliseconds(0), wait);
        }
        cv.wait_for(lock, wait);
      }
      if (inbox.size() <= options.max_batch) {
        batch.swap(inbox);
      } else {
        auto cut = inbox.begin() + static_cast<ptrdiff_t>(options.max_batch);
        std::move(inbox.begin(), cut, std::back_inserter(batch));
        inbox.erase(inbox.begin(), cut);
      }
      if (batch.empty() && stop_requested) break;
    }
    if (!batch.empty()) {
      ++batches;
      commands += batch.size();
      Counters().batch_size.Observe(batch.size());
    }
    RunBatch(batch);
    if (on_loop) on_loop();
  }
  log::Info("monitor_stopped checks={} batches={} commands={}", check_count.load(), batches,
            commands);
}

void Monitor::Impl::FailBatch(std::vector<Command>& batch, const Error& err) {
  for (auto& cmd : batch) {
    std::visit(Overloaded{
                   [&](PingCmd& c) { c.done(err); },
                   [&](CreateCmd& c) { c.reply->set_value(err); },
                   [&](EditCmd& c) { c.reply->set_value(err); },
               },
               cmd);
  }
}

void Monitor::Impl::RunBatch(std::vector<Command>& batch) {
  ping_replies.clear();
  replies.clear();
  touched.clear();
  notifications_queued = false;
  flip_deadlines.clear();
  TimePoint now = clock.Now();
  std::vector<TimerWheel::Handle> due;
  wheel.Advance(ToUnixMicros(now) / 1'000'000, due);
  if (batch.empty() && due.empty()) return;

  if (test_stall.count() > 0 &&
      std::any_of(batch.begin(), batch.end(),
                  [](const Command& c) { return std::holds_alternative<PingCmd>(c); }))
    std::this_thread::sleep_for(test_stall);

  try {
    db->Begin();
    for (auto& cmd : batch) {
      std::visit(Overloaded{
                     [&](PingCmd& c) { ping_replies.emplace_back(&c.done, ApplyPing(c.event)); },
                     [&](CreateCmd& c) { Answer(c.reply, ApplyCreate(c)); },
                     [&](EditCmd& c) { Answer(c.reply, ApplyEdit(c)); },
                 },
                 cmd);
    }
    now = clock.Now();
    for (auto h : due) {
      if (h >= checks.size() || !checks[h].in_use) continue;
      auto out = Step(checks[h].state, DeadlineSignal{}, now);
      // A timeout flip is dated at its exact deadline; the lag is measured to the commit.
      if (out.flip && out.flip->new_status == CheckStatus::kDown) flip_deadlines.push_back(out.flip->created);
      Persist(h, out, now);
    }
    db->Commit();
    const TimePoint committed = clock.Now();
    for (TimePoint deadline : flip_deadlines)
      Counters().monitor_lag_us.Observe(static_cast<uint64_t>(std::max<int64_t>(0, ToUnixMicros(committed) - ToUnixMicros(deadline))));
  } catch (const std::exception& e) {
    db->Rollback();
    log::Error("monitor_write_failed commands={} error={}", batch.size(), log::Quote(e.what()));
    // Memory may be ahead of the disk now: bring every touched check back to what is stored,
    // once each (the first slot seen for an id, as it was when the batch first touched it).
    std::stable_sort(touched.begin(), touched.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    touched.erase(std::unique(touched.begin(), touched.end(),
                              [](const auto& a, const auto& b) { return a.first == b.first; }),
                  touched.end());
    for (const auto& [id, slot] : touched) ReloadFromDb(id, slot);
    for (auto h : due)
      if (h < checks.size() && checks[h].in_use) Reschedule(h);
    FailBatch(batch, Error{Errc::kUnavailable, "could not write to the database"});
    return;
  }
  for (auto& [done, result] : ping_replies) (*done)(std::move(result));
  for (auto& reply : replies) reply();
  if (notifications_queued && on_notifications) on_notifications();
}

}  // namespace dogwatch
