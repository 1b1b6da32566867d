#include "dogwatch/notify/notifier.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "dogwatch/core/counters.h"
#include "dogwatch/core/ids.h"
#include "dogwatch/core/log.h"
#include "dogwatch/store/store.h"
#include "deliver.h"
#include "retry_policy.h"

namespace dogwatch {
namespace {

using notify_internal::Deliver;
using notify_internal::NextAttempt;

// Workers look at the outbox at least this often even without a Wake(): a notification whose
// retry time comes due needs no one to wake them.
constexpr auto kPollInterval = std::chrono::seconds(1);
constexpr size_t kMaxOtherDown = 10;

Micros Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
}

// The outbox bookkeeping failed (disk full, say): the notification stays as it was, which at
// worst means one more send; worth a log line, not a stop.
void LogIfFailed(const Status& st) {
  if (!st) log::Error("notify_record_failed error={}", log::Quote(st.error().message));
}

}  // namespace

struct Notifier::Impl {
  NotifierOptions options;
  const Clock& clock;
  notify_internal::DeliverOptions deliver;
  notify_internal::RetryPolicy retry;

  std::mutex mu;  // guards everything below; the store is used only under it
  std::condition_variable cv;
  std::unique_ptr<Store> store;
  std::vector<int64_t> busy;  // channels with a send in flight
  bool stopping = false;
  // Bumped by Wake() and by every finished send; a waiting worker looks again when it changes.
  uint64_t wake_gen = 0;
  std::vector<std::thread> workers;
  int running = 0;

  Impl(NotifierOptions o, const Clock& c) : options(std::move(o)), clock(c) {
    deliver.http.connect_timeout = options.connect_timeout;
    deliver.http.total_timeout = options.send_timeout;
    deliver.http.user_agent = options.user_agent;
    deliver.smtp = options.smtp;
    deliver.shell_enabled = options.shell_enabled;
    retry.initial = options.retry_initial;
    retry.max = options.retry_max;
    retry.give_up_after = options.give_up_after;
  }

  // REQUIRES: mu held.
  void FillCheckFacts(Alert& a) {
    if (auto project = store->FindProject(a.check.project_id)) a.project_name = project->name;
    a.check_url = options.base_url + "/checks/" + a.check.uuid;
    if (options.check_json)
      a.check_json = options.check_json(a.check, a.check.id ? store->CheckChannelUuids(a.check.id)
                                                            : std::vector<std::string>{});
    if (options.describe_schedule) a.schedule_text = options.describe_schedule(a.check);
    for (const Check& other : store->ListChecks(a.check.project_id)) {
      if (other.id == a.check.id || other.status != CheckStatus::kDown) continue;
      if (a.other_down.size() == kMaxOtherDown) break;
      a.other_down.push_back(other.name.empty() ? other.uuid : other.name);
    }
  }

  // The alert for a queued notification; nullopt when its check or flip is gone. REQUIRES: mu.
  std::optional<Alert> BuildAlert(const Notification& n) {
    if (!n.check_id || !n.flip_id) return std::nullopt;
    auto check = store->FindCheckById(*n.check_id);
    auto flip = store->FindFlip(*n.flip_id);
    if (!check || !flip) return std::nullopt;
    Alert a;
    a.check = *std::move(check);
    a.status = n.check_status;
    a.reason = flip->reason;
    a.flip_time = flip->created;
    if (a.status == CheckStatus::kUp) {
      if (auto down = store->LastFlipTo(a.check.id, CheckStatus::kDown, flip->created))
        a.downtime = flip->created - down->created;
    }
    a.last_ping = store->LastPingAt(a.check.id, flip->created);
    FillCheckFacts(a);
    return a;
  }

  // A test alert: the project's first check if it has one (so the message looks real), else a
  // made-up one. REQUIRES: mu held.
  Alert BuildTestAlert(const Channel& channel) {
    Alert a;
    a.is_test = true;
    a.status = CheckStatus::kDown;
    a.reason = "test";
    a.flip_time = clock.Now();
    auto checks = store->ListChecks(channel.project_id);
    if (!checks.empty()) {
      a.check = checks.front();
      a.last_ping = store->LastPingAt(a.check.id, a.flip_time);
    } else {
      a.check.uuid = NewUuid();
      a.check.project_id = channel.project_id;
      a.check.name = "Test check";
      a.check.created = a.flip_time;
    }
    FillCheckFacts(a);
    return a;
  }

  void Finish(const Notification& n, const Channel& channel, const SendOutcome& outcome,
              TimePoint started, Micros took, bool aborted) {
    TimePoint now = clock.Now();
    NotificationState state = NotificationState::kDelivered;
    std::optional<TimePoint> next;
    std::string error = outcome.error;
    if (aborted) {
      state = NotificationState::kPending;  // shutdown cut it short: send again after restart
      next = now;
      error = "interrupted by shutdown";
    } else if (!outcome.ok()) {
      next = NextAttempt(retry, outcome, n.attempts, n.created, now);
      state = next ? NotificationState::kPending : NotificationState::kFailed;
      if (!next && outcome.result == SendResult::kTransient)
        error = fmt::format("gave up after {} attempts: {}", n.attempts, outcome.error);
    }
    std::lock_guard<std::mutex> lock(mu);
    if (auto st = store->FinishNotification(n.id, state, next, started, took, error); !st)
      log::Error("notify_record_failed notification={} error={}", n.id, log::Quote(st.error().message));
    if (!aborted) LogIfFailed(store->RecordChannelResult(channel.id, started, took, error));
    busy.erase(std::find(busy.begin(), busy.end(), channel.id));
    ++wake_gen;  // a notification held back because its channel was busy may go now
    cv.notify_all();
    if (aborted) return;
    Counters().notifications.Add(channel.kind, state == NotificationState::kDelivered ? "delivered"
                                               : state == NotificationState::kPending ? "retry"
                                                                                      : "failed");
    if (state == NotificationState::kDelivered) {
      log::Info("notify_sent channel={} kind={} status={} attempt={} ms={}", ShortId(channel.uuid),
                channel.kind, CheckStatusName(n.check_status), n.attempts, took.count() / 1000);
    } else if (state == NotificationState::kPending) {
      log::Warn("notify_retry channel={} kind={} attempt={} next_in_s={} error={}",
                ShortId(channel.uuid), channel.kind, n.attempts,
                std::chrono::duration_cast<std::chrono::seconds>(*next - now).count(),
                log::Quote(error));
    } else {
      log::Error("notify_failed channel={} kind={} attempt={} error={}", ShortId(channel.uuid),
                 channel.kind, n.attempts, log::Quote(error));
    }
  }

  void Work() {
    std::unique_lock<std::mutex> lock(mu);
    while (!stopping) {
      TimePoint now = clock.Now();
      auto n = store->ClaimNotification(now, busy);
      if (!n) {
        auto due = store->NextNotificationDue();
        auto wait = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kPollInterval);
        if (due && *due > now) wait = std::min(wait, std::chrono::duration_cast<std::chrono::steady_clock::duration>(*due - now));
        // Due but not claimable means its channel is busy: a finishing worker notifies.
        uint64_t seen = wake_gen;
        cv.wait_for(lock, wait, [&] { return stopping || wake_gen != seen; });
        continue;
      }
      auto channel = store->FindChannelById(n->channel_id);
      std::optional<Alert> alert = channel ? BuildAlert(*n) : std::nullopt;
      if (!channel || !alert) {
        LogIfFailed(store->FinishNotification(n->id, NotificationState::kFailed, std::nullopt, now,
                                              Micros(0), "the check or flip was deleted"));
        continue;
      }
      busy.push_back(channel->id);
      lock.unlock();

      auto started_steady = std::chrono::steady_clock::now();
      std::string skipped;
      SendOutcome outcome = Deliver(*channel, *alert, deliver, now, &skipped);
      Micros took = Since(started_steady);
      bool aborted;
      {
        std::lock_guard<std::mutex> guard(mu);
        aborted = stopping && !outcome.ok();
      }
      if (!skipped.empty())
        log::Info("notify_skipped channel={} reason={}", ShortId(channel->uuid), log::Quote(skipped));
      Finish(*n, *channel, outcome, now, took, aborted);
      lock.lock();
    }
    --running;
    cv.notify_all();
  }
};

Notifier::Notifier(NotifierOptions options, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(options), clock)) {}

Notifier::~Notifier() {
  if (impl_) Stop();
}

Status Notifier::Start() {
  auto store = Store::Open({.path = impl_->options.database_path, .mode = OpenMode::kReadWrite});
  if (!store) return store.error();
  impl_->store = *std::move(store);
  auto released = impl_->store->ReleaseStaleClaims(impl_->clock.Now());
  if (!released) return released.error();
  if (*released > 0)
    log::Warn("notify_resume interrupted={} reason={}", *released,
              log::Quote("sends in flight when dogwatch stopped; sending them again"));
  int workers = std::max(1, impl_->options.workers);
  impl_->running = workers;
  for (int i = 0; i < workers; ++i) impl_->workers.emplace_back([this] { impl_->Work(); });
  return Ok();
}

void Notifier::Wake() {
  if (!impl_) return;
  std::lock_guard<std::mutex> lock(impl_->mu);
  ++impl_->wake_gen;
  impl_->cv.notify_all();
}

bool Notifier::Stop(std::chrono::milliseconds grace) {
  if (!impl_) return false;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->workers.empty()) return true;
    impl_->stopping = true;
    impl_->cv.notify_all();
  }
  AbortAllHttpSends();
  std::unique_lock<std::mutex> lock(impl_->mu);
  bool done = impl_->cv.wait_for(lock, grace, [this] { return impl_->running == 0; });
  lock.unlock();
  if (!done) {
    // A worker is stuck in a send that cannot be interrupted (an SMTP or shell timeout). Its
    // notification stays claimed in the database and is sent again at the next start.
    // The stuck workers still use the Impl, so it is leaked on purpose; the process is exiting.
    for (auto& t : impl_->workers) t.detach();
    impl_->workers.clear();
    (void)impl_.release();
    return false;
  }
  for (auto& t : impl_->workers) t.join();
  impl_->workers.clear();
  return true;
}

SendOutcome Notifier::SendTest(const Channel& channel) {
  if (!impl_ || !impl_->store) return SendOutcome::Transient("the notifier is not running");
  Alert alert;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    alert = impl_->BuildTestAlert(channel);
  }
  auto started = std::chrono::steady_clock::now();
  TimePoint now = impl_->clock.Now();
  std::string skipped;
  SendOutcome outcome = Deliver(channel, alert, impl_->deliver, now, &skipped);
  std::lock_guard<std::mutex> lock(impl_->mu);
  LogIfFailed(impl_->store->RecordChannelResult(channel.id, now, Since(started), outcome.error));
  log::Info("notify_test channel={} kind={} result={}{}", ShortId(channel.uuid), channel.kind,
            outcome.ok() ? "delivered" : "error", outcome.ok() ? "" : " error=" + log::Quote(outcome.error));
  if (!skipped.empty()) outcome.error = "nothing sent: " + skipped;
  return outcome;
}

Result<Channel> Notifier::CreateChannel(Channel channel) {
  if (!impl_ || !impl_->store) return Fail(Errc::kUnavailable, "the notifier is not running");
  std::lock_guard<std::mutex> lock(impl_->mu);
  channel.created = impl_->clock.Now();
  return impl_->store->InsertChannel(std::move(channel));
}

Status Notifier::UpdateChannel(const Channel& channel) {
  if (!impl_ || !impl_->store) return Fail(Errc::kUnavailable, "the notifier is not running");
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->store->UpdateChannel(channel);
}

Status Notifier::DeleteChannel(int64_t channel_id) {
  if (!impl_ || !impl_->store) return Fail(Errc::kUnavailable, "the notifier is not running");
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->store->DeleteChannel(channel_id);
}

}  // namespace dogwatch
