// The monitor's in-memory checks: loading at start-up (with the start-up grace rule), the
// uuid and slug indexes, persisting a Step() outcome, and resynchronising after a failed batch.
#include <algorithm>

#include "dogwatch/core/ids.h"
#include "dogwatch/core/log.h"
#include "impl.h"

namespace dogwatch {

using monitor_internal::CeilSeconds;
using monitor_internal::FiltersFromRow;
using monitor_internal::StateToRow;

namespace monitor_internal {

void StateToRow(const CheckState& s, Check& c) {
  c.status = s.status;
  c.last_ping = s.last_ping;
  c.last_start = s.last_start;
  c.last_start_rid = s.last_start_rid;
  c.last_duration = s.last_duration;
  c.n_pings = s.n_pings;
  c.alert_after = s.alert_after;
}

std::unique_ptr<const PingFilters> FiltersFromRow(const Check& c) {
  if (c.methods.empty() && !c.filter_http_body) return nullptr;
  return std::make_unique<const PingFilters>(PingFilters{c.methods, c.filter_http_body,
                                                         c.filter_default_fail, c.start_kw,
                                                         c.success_kw, c.failure_kw});
}

}  // namespace monitor_internal

std::shared_ptr<const NextFireFn> Monitor::Impl::Compile(const Check& c) {
  if (c.kind == ScheduleKind::kSimple) return nullptr;
  auto compiled = compiler ? compiler(c.kind, c.schedule, c.tz)
                           : Result<std::shared_ptr<const NextFireFn>>(
                                 Error{Errc::kInvalidArgument, "no schedule compiler"});
  if (compiled) return *compiled;
  // A stored schedule this build cannot read (edited by hand, or a newer dogwatch): the check
  // never goes down on its own rather than alerting on a guess.
  log::Warn("schedule_invalid check={} schedule={} error={}", ShortId(c.uuid), log::Quote(c.schedule),
            log::Quote(compiled.error().message));
  return std::make_shared<const NextFireFn>([](TimePoint) { return std::optional<TimePoint>(); });
}

uint32_t Monitor::Impl::AddLive(const Check& c) {
  uint32_t idx;
  if (!free_slots.empty()) {
    idx = free_slots.back();
    free_slots.pop_back();
  } else {
    idx = static_cast<uint32_t>(checks.size());
    checks.emplace_back();
  }
  LiveCheck& live = checks[idx];
  live = LiveCheck{};
  live.in_use = true;
  live.id = c.id;
  live.project_id = c.project_id;
  live.uuid = c.uuid;
  live.slug = c.slug;
  live.state = StateFromCheck(c);
  live.state.next_fire = Compile(c);
  live.filters = FiltersFromRow(c);
  by_uuid[c.uuid] = idx;
  if (!c.slug.empty()) by_slug[c.project_id][c.slug].push_back(idx);
  check_count = by_uuid.size();
  return idx;
}

void Monitor::Impl::RemoveLive(uint32_t idx) {
  LiveCheck& live = checks[idx];
  by_uuid.erase(live.uuid);
  if (!live.slug.empty()) {
    auto& list = by_slug[live.project_id][live.slug];
    list.erase(std::remove(list.begin(), list.end(), idx), list.end());
    if (list.empty()) by_slug[live.project_id].erase(live.slug);
  }
  wheel.Cancel(idx);
  live = LiveCheck{};
  free_slots.push_back(idx);
  check_count = by_uuid.size();
}

void Monitor::Impl::RefreshLive(uint32_t idx, const Check& c) {
  // Drop and re-add: AddLive takes the slot RemoveLive just freed, so the handle is kept.
  RemoveLive(idx);
  Reschedule(AddLive(c));
}

std::optional<uint32_t> Monitor::Impl::FindByUuid(const std::string& uuid) const {
  auto it = by_uuid.find(uuid);
  if (it == by_uuid.end()) return std::nullopt;
  return it->second;
}

void Monitor::Impl::ReloadFromDb(int64_t id, uint32_t slot) {
  // The slot may have been freed (deleted) or reused (created) later in the same batch.
  std::optional<uint32_t> idx;
  if (slot < checks.size() && checks[slot].in_use && checks[slot].id == id) idx = slot;
  std::optional<Check> row;
  try {
    row = db->FindCheckById(id);
  } catch (const std::exception& e) {
    log::Error("monitor_reload_failed id={} error={}", id, log::Quote(e.what()));
    return;
  }
  if (idx && !row) RemoveLive(*idx);
  if (idx && row) RefreshLive(*idx, *row);
  if (!idx && row) Reschedule(AddLive(*row));
}

void Monitor::Impl::Reschedule(uint32_t idx) {
  const auto& deadline = checks[idx].state.alert_after;
  if (deadline) {
    wheel.Schedule(idx, CeilSeconds(*deadline));
  } else {
    wheel.Cancel(idx);
  }
}

void Monitor::Impl::Persist(uint32_t idx, const StepOutcome& out, TimePoint now) {
  LiveCheck& live = checks[idx];
  live.state = out.state;
  runtime_row.id = live.id;
  StateToRow(live.state, runtime_row);
  if (auto st = db->UpdateCheckRuntime(runtime_row); !st)
    throw std::runtime_error(st.error().message);
  touched.emplace_back(live.id, idx);
  if (out.flip) {
    Flip flip{0, live.id, out.flip->created, out.flip->old_status, out.flip->new_status,
              out.flip->reason, now};  // fanned out below, in this same transaction
    auto flip_id = db->InsertFlip(flip);
    if (!flip_id) throw std::runtime_error(flip_id.error().message);
    int queued = 0;
    if (out.flip->notify) {
      auto n = db->QueueNotifications(*flip_id, live.id, out.flip->new_status, now);
      if (!n) throw std::runtime_error(n.error().message);
      queued = *n;
      if (queued > 0) notifications_queued = true;
    }
    log::Info("flip check={} {}->{} reason={} notifications={}", ShortId(live.uuid),
              CheckStatusName(out.flip->old_status), CheckStatusName(out.flip->new_status),
              out.flip->reason.empty() ? "-" : out.flip->reason, queued);
  }
  Reschedule(idx);
}

Status Monitor::Impl::Load(TimePoint now) {
  wheel = TimerWheel(ToUnixMicros(now) / 1'000'000);
  size_t held = 0, loaded = 0;
  std::vector<Check> changed;
  auto load_one = [&](Check&& row) {
    ++loaded;
    uint32_t idx = AddLive(row);
    CheckState& s = checks[idx].state;
    // The stored alert_after is a cache of the rule; recompute it with this build's schedules.
    auto deadline = (s.status == CheckStatus::kDown || s.status == CheckStatus::kPaused)
                        ? std::nullopt
                        : GoingDownAfter(s);
    if (deadline && *deadline <= now) {
      // Passed while dogwatch was down: one grace period from now instead of an alert at once.
      s.hold_until = now + s.grace;
      deadline = s.hold_until;
      if (held < 20)
        log::Info("startup_grace check={} missed_deadline={} alert_after={}", ShortId(row.uuid),
                  FormatIsoZ(*GoingDownAfter(s)), FormatIsoZ(*deadline));
      ++held;
    }
    if (deadline != s.alert_after) {
      s.alert_after = deadline;
      StateToRow(s, row);
      changed.push_back(std::move(row));
    }
    Reschedule(idx);
  };
  try {
    // Sized once: rehashing a million-entry index as it grows costs start-up time.
    auto count = static_cast<size_t>(db->CountChecks());
    checks.reserve(count);
    by_uuid.reserve(count);
    db->ForEachCheck(load_one);
  } catch (const std::exception& e) {
    return Fail(Errc::kUnavailable, "loading checks: {}", e.what());
  }
  try {
    db->Begin();
    for (const auto& row : changed)
      if (auto st = db->UpdateCheckRuntime(row); !st) throw std::runtime_error(st.error().message);
    db->Commit();
  } catch (const std::exception& e) {
    db->Rollback();
    return Fail(Errc::kUnavailable, "updating deadlines at start-up: {}", e.what());
  }
  log::Info("monitor_loaded checks={} startup_grace={}", loaded, held);
  return Ok();
}

}  // namespace dogwatch
