#include "reconcile.h"

#include <chrono>
#include <map>

#include "dogwatch/core/clock.h"
#include "dogwatch/core/log.h"
#include "dogwatch/notify/kinds.h"
#include "dogwatch/store/store.h"
#include "schedules.h"

namespace dogwatch {
namespace {

constexpr auto kMonitorTimeout = std::chrono::seconds(30);

Error At(const std::string& where, const std::string& message) {
  return Error{Errc::kInvalidArgument, where + ": " + message};
}

CheckPatch PatchOf(const DeclaredCheck& d, std::vector<int64_t> channel_ids) {
  CheckPatch p;
  p.name = d.name;
  p.slug = d.slug;
  p.tags = d.tags;
  p.desc = d.desc;
  p.kind = ParseScheduleKind(d.kind).value_or(ScheduleKind::kSimple);
  p.timeout = d.timeout;
  p.grace = d.grace;
  if (d.kind != "simple") {
    p.schedule = d.schedule;
    p.tz = d.tz;
  }
  p.manual_resume = d.manual_resume;
  p.methods = d.methods;
  p.start_kw = d.start_kw;
  p.success_kw = d.success_kw;
  p.failure_kw = d.failure_kw;
  p.filter_http_body = d.filter_http_body;
  p.filter_default_fail = d.filter_default_fail;
  p.channel_ids = std::move(channel_ids);
  p.source = Source::kConfig;
  return p;
}

}  // namespace

Status ValidateDeclared(const Config& config, const ScheduleCompiler& compile) {
  for (const auto& c : config.declared.checks) {
    if (c.kind == "simple") {
      if (c.timeout < config.checks.min_timeout)
        return At(c.where, fmt::format("check.timeout: at least {}s ([checks] min_timeout)", config.checks.min_timeout.count()));
    } else {
      if (!ValidTimeZone(c.tz)) return At(c.where, fmt::format("check.tz: unknown time zone '{}'", c.tz));
      auto kind = ParseScheduleKind(c.kind).value_or(ScheduleKind::kCron);
      if (auto r = compile(kind, c.schedule, c.tz); !r)
        return At(c.where, fmt::format("check.{}: {}", c.kind == "cron" ? "schedule" : "oncalendar", r.error().message));
    }
    if (c.grace < config.checks.min_timeout)
      return At(c.where, fmt::format("check.grace: at least {}s ([checks] min_timeout)", config.checks.min_timeout.count()));
  }
  for (const auto& ch : config.declared.channels) {
    if (!IsChannelKind(ch.kind)) return At(ch.where, fmt::format("channel.kind: unknown kind '{}'", ch.kind));
    if (ch.kind == "shell" && !config.alerts.shell_enabled)
      return At(ch.where, "channel.kind: shell channels need [alerts] shell_enabled = true");
    auto value = ValidateChannelValue(ch.kind, nlohmann::json::parse(ch.value_json));
    if (!value) {
      // The kinds name fields as "value.url: ..."; in the file they are keys of the table.
      std::string message = value.error().message;
      if (message.rfind("value.", 0) == 0) message = "channel." + message.substr(6);
      return At(ch.where, message);
    }
  }
  return Ok();
}

Result<ReconcileCounts> Reconcile(const Config& config, const std::string& database_path, Monitor& monitor,
                                  Notifier& notifier) {
  ReconcileCounts n;
  auto store = Store::Open({.path = database_path, .mode = OpenMode::kReadWrite});
  if (!store) return store.error();
  Store& db = **store;
  const TimePoint now = SystemClock().Now();

  std::map<std::string, int64_t> project_ids;  // every project named by the file, declared or not
  for (const auto& p : config.declared.projects) {
    auto found = db.FindProjectByName(p.name);
    if (!found) {
      auto made = db.AddProject(p.name, std::nullopt, now);
      if (!made) return made.error();
      found = *made;
      ++n.projects_created;
      log::Info("config_project_created project={}", log::Quote(p.name));
    }
    project_ids[p.name] = found->id;
  }
  // Projects that once had declarations and now have none still lose their managed checks and
  // channels: look at every project.
  for (const auto& summary : db.ListProjects()) project_ids.emplace(summary.project.name, summary.project.id);

  for (const auto& [project, project_id] : project_ids) {
    // Channels first: checks refer to them.
    std::map<std::string, int64_t> channel_ids;
    std::map<std::string, Channel> existing;
    for (auto& c : db.ListChannels(project_id)) existing.emplace(c.name, c);
    for (const auto& d : config.declared.channels) {
      if (d.project != project) continue;
      auto value = ValidateChannelValue(d.kind, nlohmann::json::parse(d.value_json));
      if (!value) return At(d.where, value.error().message);
      auto it = existing.find(d.name);
      if (it != existing.end()) {
        Channel c = it->second;
        const std::string dumped = value->dump();
        if (c.kind != d.kind || c.value != dumped || c.source != Source::kConfig) {
          c.kind = d.kind;
          c.value = dumped;
          c.source = Source::kConfig;
          if (auto st = notifier.UpdateChannel(c); !st) return st.error();
          ++n.channels_updated;
        }
        channel_ids[d.name] = c.id;
        existing.erase(it);
        continue;
      }
      Channel c;
      c.project_id = project_id;
      c.name = d.name;
      c.kind = d.kind;
      c.value = value->dump();
      c.created = now;
      c.source = Source::kConfig;
      auto made = notifier.CreateChannel(c);
      if (!made) return made.error();
      channel_ids[d.name] = made->id;
      ++n.channels_created;
    }
    for (const auto& [name, c] : existing) {
      if (c.source != Source::kConfig) continue;  // made in the UI or API: not ours to delete
      if (auto st = notifier.DeleteChannel(c.id); !st) return st.error();
      ++n.channels_deleted;
    }

    std::map<std::string, Check> managed;
    for (auto& c : db.ListChecks(project_id))
      if (c.source == Source::kConfig) managed.emplace(c.slug, c);
    for (const auto& d : config.declared.checks) {
      if (d.project != project) continue;
      std::vector<int64_t> ids;
      for (const auto& name : d.channels) ids.push_back(channel_ids.at(name));
      const bool known = managed.erase(d.slug) > 0;
      auto r = AwaitFor(monitor.CreateCheck(project_id, PatchOf(d, std::move(ids)), {"slug"}), kMonitorTimeout);
      if (!r) return At(d.where, r.error().message);
      if (r->created) ++n.checks_created;
      else ++n.checks_updated;
      if (!r->created && !known) log::Info("config_check_adopted check={} slug={}", r->check.uuid.substr(0, 8), d.slug);
    }
    for (const auto& [slug, c] : managed) {
      auto r = AwaitFor(monitor.DeleteCheck(project_id, c.uuid), kMonitorTimeout);
      if (!r) return r.error();
      ++n.checks_deleted;
    }
  }
  return n;
}

}  // namespace dogwatch
