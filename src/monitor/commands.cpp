// What each mailbox command does, on the monitor thread inside the batch's transaction.
// Business outcomes are returned as Results; a store failure throws and fails the whole batch.
#include <algorithm>

#include "dogwatch/core/counters.h"
#include "dogwatch/core/ids.h"
#include "dogwatch/core/log.h"
#include "impl.h"

namespace dogwatch {

using monitor_internal::CreateCmd;
using monitor_internal::EditCmd;
using monitor_internal::EditKind;
using monitor_internal::FiltersFromRow;
using monitor_internal::StateToRow;

namespace monitor_internal {

void ApplyPatch(const CheckPatch& p, Check& c) {
  if (p.name) c.name = *p.name;
  if (p.slug) c.slug = *p.slug;
  if (p.tags) c.tags = *p.tags;
  if (p.desc) c.desc = *p.desc;
  if (p.kind) c.kind = *p.kind;
  if (p.timeout) c.timeout = *p.timeout;
  if (p.grace) c.grace = *p.grace;
  if (p.schedule) c.schedule = *p.schedule;
  if (p.tz) c.tz = *p.tz;
  if (p.manual_resume) c.manual_resume = *p.manual_resume;
  if (p.methods) c.methods = *p.methods;
  if (p.start_kw) c.start_kw = *p.start_kw;
  if (p.success_kw) c.success_kw = *p.success_kw;
  if (p.failure_kw) c.failure_kw = *p.failure_kw;
  if (p.filter_subject) c.filter_subject = *p.filter_subject;
  if (p.filter_body) c.filter_body = *p.filter_body;
  if (p.filter_http_body) c.filter_http_body = *p.filter_http_body;
  if (p.filter_default_fail) c.filter_default_fail = *p.filter_default_fail;
  if (p.source) c.source = *p.source;
}

}  // namespace monitor_internal

namespace {

void OrThrow(const Status& st) {
  if (!st) throw std::runtime_error(st.error().message);
}

Check NewCheckRow(int64_t project_id, TimePoint now) {
  Check c;
  c.uuid = NewUuid();
  c.badge_key = NewUuid();
  c.project_id = project_id;
  c.created = now;
  return c;
}

// Does an existing check match every field named in `unique` (reference §2.6)?
bool MatchesUnique(const Check& c, const Check& wanted, const std::vector<std::string>& unique) {
  for (const auto& field : unique) {
    if (field == "name" && c.name != wanted.name) return false;
    if (field == "slug" && c.slug != wanted.slug) return false;
    if (field == "tags" && c.tags != wanted.tags) return false;
    if (field == "timeout" && c.timeout != wanted.timeout) return false;
    if (field == "grace" && c.grace != wanted.grace) return false;
  }
  return true;
}

}  // namespace

Result<PingAck> Monitor::Impl::ApplyPing(PingEvent& e) {
  TimePoint now = clock.Now();
  std::optional<uint32_t> idx;
  bool created = false;
  if (!e.uuid.empty()) {
    idx = FindByUuid(e.uuid);
    if (!idx) return Fail(Errc::kNotFound, "not found");
  } else {
    auto key = project_by_ping_key.find(e.ping_key);
    int64_t project_id = 0;
    if (key != project_by_ping_key.end()) {
      project_id = key->second;
    } else {
      // Projects are created by the CLI beside the running server: look it up, cache hits only.
      auto project = db->FindProjectByPingKey(e.ping_key);
      if (!project) return Fail(Errc::kNotFound, "not found");
      project_id = project->id;
      project_by_ping_key.emplace(e.ping_key, project_id);
    }
    auto& slugs = by_slug[project_id];
    auto it = slugs.find(e.slug);
    size_t matches = it == slugs.end() ? 0 : it->second.size();
    if (matches > 1) return Fail(Errc::kConflict, "ambiguous slug");
    if (matches == 1) {
      idx = it->second.front();
    } else {
      if (!e.create) return Fail(Errc::kNotFound, "not found");
      // Auto-provisioning (reference §1.6): defaults, named after the slug, all channels.
      Check row = NewCheckRow(project_id, now);
      row.name = e.slug;
      row.slug = e.slug;
      auto id = db->InsertCheck(row);
      if (!id) throw std::runtime_error(id.error().message);
      row.id = *id;
      std::vector<int64_t> channels;
      for (const auto& ch : db->ListChannels(project_id)) channels.push_back(ch.id);
      OrThrow(db->SetCheckChannels(row.id, channels));
      idx = AddLive(row);
      touched.emplace_back(row.id, *idx);
      created = true;
      log::Info("check_created check={} slug={} via=ping", ShortId(row.uuid), log::Quote(row.slug));
    }
  }
  // Healthchecks' order: lookup (and auto-create), then the exit status range, then the rid.
  if (e.exit_status && *e.exit_status > 255) return Fail(Errc::kInvalidArgument, "invalid url format");
  if (e.bad_rid) return Fail(Errc::kInvalidArgument, "invalid uuid format");

  LiveCheck& live = checks[*idx];
  static const PingFilters kNoFilters;
  PingKind kind = ApplyFilters(live.filters ? *live.filters : kNoFilters, e);
  StepOutcome out = Step(live.state, PingSignal{kind, e.rid}, now);
  Ping ping;
  ping.check_id = live.id;
  ping.n = out.state.n_pings;
  ping.created = now;
  ping.kind = out.recorded_kind;
  ping.scheme = e.scheme;
  ping.remote_addr = e.remote_addr;
  ping.method = e.method;
  ping.ua = e.ua;
  ping.body = std::move(e.body);
  ping.exit_status = e.exit_status;
  ping.rid = e.rid;
  ping.duration = out.ping_duration;
  OrThrow(db->InsertPing(ping));
  CountPing(static_cast<int>(ping.kind));  // GET /metrics
  Persist(*idx, out, now);
  // Keep the newest ping_retention pings; prune in steps so it is one DELETE per many pings.
  int64_t retention = options.ping_retention;
  int64_t every = std::min<int64_t>(100, retention);
  if (ping.n > retention && ping.n % every == 0) OrThrow(db->PrunePings(live.id, ping.n - retention));
  return PingAck{created};
}

Result<CheckResult> Monitor::Impl::ApplyCreate(CreateCmd& cmd) {
  TimePoint now = clock.Now();
  Check wanted = NewCheckRow(cmd.project_id, now);
  monitor_internal::ApplyPatch(cmd.patch, wanted);
  if (!cmd.unique.empty()) {
    for (auto& existing : db->ListChecks(cmd.project_id)) {
      if (!MatchesUnique(existing, wanted, cmd.unique)) continue;
      if (existing.source == Source::kConfig && cmd.patch.source != Source::kConfig)
        return Fail(Errc::kPermissionDenied, "managed by the config file");
      EditCmd edit{EditKind::kUpdate, cmd.project_id, existing.uuid, std::move(cmd.patch), nullptr};
      auto updated = ApplyEdit(edit);
      if (updated) updated->created = false;
      return updated;
    }
  }
  auto id = db->InsertCheck(wanted);
  if (!id) throw std::runtime_error(id.error().message);
  wanted.id = *id;
  if (cmd.patch.channel_ids) OrThrow(db->SetCheckChannels(wanted.id, *cmd.patch.channel_ids));
  touched.emplace_back(wanted.id, AddLive(wanted));
  log::Info("check_created check={} via={}", ShortId(wanted.uuid), SourceName(wanted.source));
  return CheckResult{wanted, true};
}

Result<CheckResult> Monitor::Impl::ApplyEdit(EditCmd& cmd) {
  auto idx = FindByUuid(cmd.uuid);
  if (!idx) return Fail(Errc::kNotFound, "not found");
  LiveCheck& live = checks[*idx];
  if (live.project_id != cmd.project_id) return Fail(Errc::kPermissionDenied, "forbidden");
  auto row = db->FindCheckById(live.id);
  if (!row) return Fail(Errc::kNotFound, "not found");
  TimePoint now = clock.Now();
  touched.emplace_back(live.id, *idx);

  switch (cmd.kind) {
    case EditKind::kDelete: {
      OrThrow(db->DeleteCheck(live.id));
      log::Info("check_deleted check={}", ShortId(live.uuid));
      RemoveLive(*idx);
      return CheckResult{*row, false};
    }
    case EditKind::kPause:
    case EditKind::kResume: {
      Signal signal = cmd.kind == EditKind::kPause ? Signal(PauseSignal{}) : Signal(ResumeSignal{});
      StepOutcome out = Step(live.state, signal, now);
      if (out.rejected) return Fail(Errc::kConflict, "check is not paused");
      Persist(*idx, out, now);
      StateToRow(live.state, *row);
      return CheckResult{*row, false};
    }
    case EditKind::kUpdate: {
      monitor_internal::ApplyPatch(cmd.patch, *row);
      // Keep the runtime fields the monitor owns; take the new schedule and rules.
      StateToRow(live.state, *row);
      CheckState state = StateFromCheck(*row);
      state.hold_until = live.state.hold_until;
      state.next_fire = Compile(*row);
      state.alert_after = (state.status == CheckStatus::kDown || state.status == CheckStatus::kPaused)
                              ? std::nullopt
                              : GoingDownAfter(state);
      if (state.alert_after && state.hold_until) state.alert_after = std::max(*state.alert_after, *state.hold_until);
      row->alert_after = state.alert_after;
      OrThrow(db->UpdateCheck(*row));
      if (cmd.patch.channel_ids) OrThrow(db->SetCheckChannels(row->id, *cmd.patch.channel_ids));
      RemoveLive(*idx);
      uint32_t again = AddLive(*row);
      checks[again].state.hold_until = state.hold_until;
      Reschedule(again);
      return CheckResult{*row, false};
    }
  }
  return Fail(Errc::kInternal, "unknown edit");
}

}  // namespace dogwatch
