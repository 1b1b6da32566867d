// dogwatch check list | show | add | pause | resume | delete: one check at a time through the
// Management API, a table for people and the API's JSON (--json) for scripts.
#include <fmt/format.h>

#include <iostream>

#include "client_api.h"
#include "client_cmds.h"
#include "client_format.h"
#include "dogwatch/core/duration.h"

namespace dogwatch::cli {
namespace {

constexpr size_t kShownPings = 10;

TimePoint Now() { return std::chrono::floor<Micros>(std::chrono::system_clock::now()); }

struct CheckArgs {
  ApiTarget target;
  bool json = false;
  std::vector<std::string> tags;  // list
  std::string id;                 // show, pause, resume, delete
  // add
  std::string name, slug, tags_text, timeout, cron, tz, grace, desc, unique, channels;
};

// Runs `body` with a client for args.target; usage problems exit 2, the rest 1.
template <typename Body>
int WithClient(const Context& ctx, CheckArgs& args, Body body) {
  if (!ResolveApiTarget(ctx, args.target)) return kExitUsage;
  auto client = ApiClient::Make(args.target);
  if (!client) {
    PrintError("--url: " + client.error().message);
    return kExitUsage;
  }
  return body(**client);
}

int Report(const ApiAnswer& answer) {
  PrintError(answer.error);
  return kExitFailure;
}

void PrintJson(const nlohmann::json& json) {
  std::cout << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

bool LooksLikeId(std::string_view id) {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  if (id.size() == 40) return std::all_of(id.begin(), id.end(), hex);
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? id[i] != '-' : !hex(id[i])) return false;
  }
  return true;
}

// A UUID (or unique key) as given, or the one check whose slug, else name, is `id`.
std::optional<std::string> ResolveCheck(ApiClient& client, const std::string& id) {
  if (LooksLikeId(id)) return id;
  auto answer = client.Get("/api/v3/checks/");
  if (!answer.ok()) {
    Report(answer);
    return std::nullopt;
  }
  const auto& checks = answer.json.value("checks", nlohmann::json::array());
  for (const char* field : {"slug", "name"}) {
    std::vector<std::string> found;
    for (const auto& check : checks) {
      if (Str(check, field) == id) found.push_back(CheckId(check));
    }
    if (found.size() == 1) return found[0];
    if (found.size() > 1) {
      PrintError(fmt::format("{} checks have the {} '{}': give a UUID", found.size(), field, id));
      return std::nullopt;
    }
  }
  PrintError(fmt::format("no check with the UUID, slug or name '{}'", id));
  return std::nullopt;
}

int List(ApiClient& client, const CheckArgs& args) {
  std::string query;
  for (const auto& tag : args.tags) query += (query.empty() ? "?tag=" : "&tag=") + UrlEncode(tag);
  auto answer = client.Get("/api/v3/checks/" + query);
  if (!answer.ok()) return Report(answer);
  if (!answer.json.contains("checks") || !answer.json["checks"].is_array()) {
    PrintError(fmt::format("{} answered without a \"checks\" list", client.base_url()));
    return kExitFailure;
  }
  if (args.json) {
    PrintJson(answer.json);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  TimePoint now = Now();
  auto dash = [](std::string s) { return s.empty() ? std::string("-") : s; };
  for (const auto& check : answer.json["checks"]) {
    rows.push_back({StatusText(check), dash(Str(check, "name")), dash(Str(check, "slug")),
                    dash(Str(check, "tags")), ScheduleText(check),
                    RelativeTime(check.value("last_ping", nlohmann::json()), now)});
  }
  if (rows.empty()) {
    fmt::print(stderr, "no checks{}\n", args.tags.empty() ? "" : " with these tags");
    return kExitOk;
  }
  fmt::print("{}", FormatTable({"STATUS", "NAME", "SLUG", "TAGS", "SCHEDULE", "LAST PING"}, rows));
  return kExitOk;
}

void PrintPings(ApiClient& client, const std::string& id, TimePoint now) {
  auto answer = client.Get("/api/v3/checks/" + id + "/pings/");
  if (!answer.ok()) {
    // Pings need a read-write key; a read-only one still shows the rest.
    fmt::print("\npings: not shown ({})\n", answer.error);
    return;
  }
  const auto& pings = answer.json.value("pings", nlohmann::json::array());
  if (pings.empty()) {
    fmt::print("\nno pings yet\n");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < pings.size() && i < kShownPings; ++i) {
    const auto& p = pings[i];
    std::string duration;
    if (p.contains("duration") && p["duration"].is_number()) {
      duration = fmt::format("{:.2f} s", p["duration"].get<double>());
    }
    rows.push_back({fmt::format("#{}", p.value("n", 0)), Str(p, "type"), Str(p, "date"),
                    RelativeTime(p.value("date", nlohmann::json()), now),
                    Str(p, "method") + " " + Str(p, "remote_addr"), Str(p, "ua"), duration});
  }
  fmt::print("\nlast pings:\n{}", FormatTable({"N", "TYPE", "DATE", "", "FROM", "USER AGENT", "TOOK"}, rows));
}

int Show(ApiClient& client, const CheckArgs& args) {
  auto id = ResolveCheck(client, args.id);
  if (!id) return kExitFailure;
  auto answer = client.Get("/api/v3/checks/" + *id);
  if (!answer.ok()) return Report(answer);
  const nlohmann::json& c = answer.json;
  if (args.json) {
    PrintJson(c);
    return kExitOk;
  }
  TimePoint now = Now();
  auto line = [](std::string_view label, const std::string& value) {
    if (!value.empty()) fmt::print("  {:<11}{}\n", label, value);
  };
  fmt::print("{}\n", Str(c, "name").empty() ? "(no name)" : Str(c, "name"));
  line("status", StatusText(c));
  line("uuid", Str(c, "uuid"));
  line("unique key", Str(c, "unique_key"));
  line("ping URL", Str(c, "ping_url"));
  line("slug", Str(c, "slug"));
  line("tags", Str(c, "tags"));
  line("schedule", ScheduleText(c));
  std::string last = Str(c, "last_ping");
  line("last ping", last.empty() ? "never" : last + " (" + RelativeTime(c["last_ping"], now) + ")");
  line("next ping", Str(c, "next_ping"));
  if (c.contains("n_pings")) line("pings", std::to_string(c.value("n_pings", 0)));
  if (c.contains("last_duration")) line("last run", DurationWords(Seconds(c.value("last_duration", 0))));
  line("channels", Str(c, "channels"));
  line("description", Str(c, "desc"));
  if (!Str(c, "uuid").empty()) PrintPings(client, *id, now);
  return kExitOk;
}

// The create payload from the flags; nullopt (after printing why) on a usage error.
std::optional<nlohmann::json> AddPayload(const CheckArgs& args) {
  nlohmann::json payload{{"name", args.name}};
  if (!args.slug.empty()) payload["slug"] = args.slug;
  if (!args.tags_text.empty()) payload["tags"] = args.tags_text;
  if (!args.desc.empty()) payload["desc"] = args.desc;
  if (!args.channels.empty()) payload["channels"] = args.channels;
  auto duration = [&](const char* flag, const std::string& text, const char* field) {
    if (text.empty()) return true;
    auto d = ParseDuration(text);
    if (!d) {
      PrintError(fmt::format("{}: {}", flag, d.error().message));
      return false;
    }
    payload[field] = d->count();
    return true;
  };
  if (!duration("--timeout", args.timeout, "timeout") || !duration("--grace", args.grace, "grace")) {
    return std::nullopt;
  }
  if (!args.cron.empty()) {
    payload["schedule"] = args.cron;
    payload["tz"] = args.tz.empty() ? "UTC" : args.tz;
  }
  if (!args.unique.empty()) {
    payload["unique"] = nlohmann::json::array();
    for (size_t start = 0; start <= args.unique.size();) {
      size_t comma = std::min(args.unique.find(',', start), args.unique.size());
      std::string field = args.unique.substr(start, comma - start);
      if (!field.empty()) payload["unique"].push_back(field);
      start = comma + 1;
    }
  }
  return payload;
}

int Add(ApiClient& client, const CheckArgs& args) {
  auto payload = AddPayload(args);
  if (!payload) return kExitUsage;
  auto answer = client.Post("/api/v3/checks/", *payload);
  if (!answer.ok()) return Report(answer);
  const nlohmann::json& c = answer.json;
  if (args.json) {
    PrintJson(c);
  } else {
    fmt::print("{}\n", Str(c, "ping_url"));
  }
  fmt::print(stderr, "{} check '{}' ({})\n",
             answer.status == 201 ? "created" : "updated the existing", Str(c, "name"), CheckId(c));
  return kExitOk;
}

// pause, resume, delete: one call, one line on stderr.
int Act(ApiClient& client, const CheckArgs& args, const std::string& action) {
  auto id = ResolveCheck(client, args.id);
  if (!id) return kExitFailure;
  std::string path = "/api/v3/checks/" + *id;
  auto answer = action == "delete" ? client.Delete(path) : client.Post(path + "/" + action, nlohmann::json::object());
  if (!answer.ok()) return Report(answer);
  if (args.json) PrintJson(answer.json);
  fmt::print(stderr, "{} check '{}' ({})\n",
             action == "pause" ? "paused" : action == "resume" ? "resumed" : "deleted",
             Str(answer.json, "name"), *id);
  return kExitOk;
}

CLI::App* AddSub(CLI::App* group, Context& ctx, const std::shared_ptr<CheckArgs>& args,
                 const std::string& name, const std::string& help,
                 std::function<int(ApiClient&, const CheckArgs&)> run) {
  auto* cmd = group->add_subcommand(name, help);
  AddApiOptions(*cmd, ctx, args->target);
  cmd->callback([&ctx, args, run] {
    ctx.action = [&ctx, args, run] {
      return WithClient(ctx, *args, [&](ApiClient& client) { return run(client, *args); });
    };
  });
  return cmd;
}

}  // namespace

void AddCheckCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("check", "List, show, add, pause, resume and delete checks "
                                            "through the server's API");
  group->require_subcommand(1);
  auto args = std::make_shared<CheckArgs>();

  auto* list = AddSub(group, ctx, args, "list", "A table of the project's checks", List);
  list->add_option("--tag", args->tags, "Only checks with this tag (repeatable: all must match)");
  list->add_flag("--json", args->json, "Print the API's JSON");

  auto* show = AddSub(group, ctx, args, "show", "One check in detail, with its last pings", Show);
  show->add_option("check", args->id, "The check's UUID (or unique key, or slug)")->required();
  show->add_flag("--json", args->json, "Print the API's JSON");

  auto* add = AddSub(group, ctx, args, "add", "Create a check; prints its ping URL", Add);
  add->add_option("--name", args->name, "Name")->required();
  add->add_option("--slug", args->slug, "Slug, for /ping/<ping-key>/<slug> URLs");
  add->add_option("--tags", args->tags_text, "Tags, space-separated");
  auto* timeout = add->add_option("--timeout", args->timeout, "Period between pings (1h, 1d ...)");
  auto* cron = add->add_option("--cron", args->cron, "Cron schedule (5 fields) instead of a period");
  timeout->excludes(cron);
  add->add_option("--tz", args->tz, "Time zone of --cron (default UTC)")->needs(cron);
  add->add_option("--grace", args->grace, "Grace time (15m, 1h ...)");
  add->add_option("--desc", args->desc, "Description");
  add->add_option("--channels", args->channels, "\"*\" for all channels, or their UUIDs or names");
  add->add_option("--unique", args->unique,
                  "Fields that identify an existing check to update instead (name,slug,...)");
  add->add_flag("--json", args->json, "Print the check's JSON instead of its ping URL");

  for (std::string action : {"pause", "resume", "delete"}) {
    auto help = action == "pause"    ? "Pause a check: no alerts until its next ping"
                : action == "resume" ? "Resume a paused check"
                                     : "Delete a check and its pings (asks nothing)";
    auto* cmd = AddSub(group, ctx, args, action, help,
                       [action](ApiClient& client, const CheckArgs& a) { return Act(client, a, action); });
    cmd->add_option("check", args->id, "The check's UUID (or slug)")->required();
    cmd->add_flag("--json", args->json, "Also print the check's JSON");
  }
}

}  // namespace dogwatch::cli
