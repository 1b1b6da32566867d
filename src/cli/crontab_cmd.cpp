// dogwatch import-crontab: reads a crontab, proposes a check per job, prints the crontab rewritten
// to report through `dogwatch run`, and with --apply creates the checks (upserts on the slug).
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "client_api.h"
#include "client_cmds.h"
#include "client_format.h"
#include "crontab_parse.h"
#include "dogwatch/core/duration.h"
#include "dogwatch/schedule/zone.h"

namespace dogwatch::cli {
namespace {

struct CrontabArgs {
  ApiTarget target;
  std::string file;
  bool apply = false;
  bool system = false;
  std::string grace;
  std::string tz;
};

constexpr std::string_view kHeader =
    "# Rewritten by `dogwatch import-crontab`: each job reports to its dogwatch check through\n"
    "# `dogwatch run --slug SLUG -- COMMAND`, which needs `dogwatch` on cron's PATH and, in cron's\n"
    "# environment, DOGWATCH_URL (the server) and DOGWATCH_PING_KEY (the project's ping key,\n"
    "# from `dogwatch project list`), e.g. as NAME=value lines at the top of this crontab.\n";

Result<std::string> ReadAll(std::istream& in, const std::string& name) {
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Fail(Errc::kUnavailable, "cannot read {}", name);
  return text.str();
}

// The crontab's text: FILE, '-' for stdin, or the user's own (`crontab -l`).
Result<std::string> ReadCrontab(const std::string& file) {
  if (file == "-") return ReadAll(std::cin, "standard input");
  if (file.empty()) {
    FILE* pipe = popen("crontab -l", "r");
    if (pipe == nullptr) return Fail(Errc::kUnavailable, "cannot run `crontab -l`: give FILE or -");
    std::string text;
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) text.append(buffer, n);
    if (pclose(pipe) != 0) {
      return Fail(Errc::kUnavailable, "`crontab -l` failed: give FILE, or - for standard input");
    }
    return text;
  }
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) return Fail(Errc::kInvalidArgument, "{} is a directory", file);
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(Errc::kUnavailable, "cannot read {}: {}", file, std::strerror(errno));
  return ReadAll(in, file);
}

bool IsSystemCrontab(const std::string& file) {
  if (file.empty() || file == "-") return false;
  std::error_code ec;
  auto path = std::filesystem::absolute(file, ec).lexically_normal().string();
  return path == "/etc/crontab" || path.rfind("/etc/cron.d/", 0) == 0;
}

// The machine's zone, which cron uses for jobs without CRON_TZ: $TZ, /etc/timezone, or the
// target of /etc/localtime; UTC when none names a zone.
std::string LocalZone() {
  if (const char* tz = std::getenv("TZ"); tz != nullptr && *tz != '\0') {
    std::string name = tz[0] == ':' ? tz + 1 : tz;
    if (schedule::LocateZone(name)) return name;
  }
  std::ifstream timezone("/etc/timezone");
  std::string name;
  if (timezone >> name && schedule::LocateZone(name)) return name;
  std::error_code ec;
  std::string target = std::filesystem::read_symlink("/etc/localtime", ec).string();
  if (size_t at = target.find("zoneinfo/"); !ec && at != std::string::npos) {
    name = target.substr(at + 9);
    if (schedule::LocateZone(name)) return name;
  }
  return "UTC";
}

void PrintNotes(const CrontabImport& import) {
  for (const auto& note : import.notes) {
    if (note.line > 0) {
      fmt::print(stderr, "# line {}: {}\n", note.line, note.text);
    } else {
      fmt::print(stderr, "# {}\n", note.text);
    }
  }
}

std::string JobSummary(const CrontabJob& job) {
  return fmt::format("{} ({}): {} {}, grace {}", job.slug, job.name, job.schedule, job.tz,
                     DurationWords(job.grace));
}

// Creates or updates one check per job. Returns false after the first failure it cannot pass.
bool Apply(const Context& ctx, CrontabArgs& args, const CrontabImport& import) {
  if (!ResolveApiTarget(ctx, args.target)) return false;
  auto client = ApiClient::Make(args.target);
  if (!client) {
    PrintError("--url: " + client.error().message);
    return false;
  }
  // Existing slugs: a new check gets all the project's channels (as the UI does); an existing
  // one keeps the channels it has.
  auto existing = (*client)->Get("/api/v3/checks/");
  if (!existing.ok()) {
    PrintError(existing.error);
    return false;
  }
  std::set<std::string> slugs;
  for (const auto& check : existing.json.value("checks", nlohmann::json::array())) {
    slugs.insert(Str(check, "slug"));
  }
  bool ok = true;
  for (const auto& job : import.jobs) {
    nlohmann::json payload{{"name", job.name},         {"slug", job.slug},
                           {"schedule", job.schedule}, {"tz", job.tz},
                           {"grace", job.grace.count()}, {"unique", {"slug"}}};
    if (slugs.count(job.slug) == 0) payload["channels"] = "*";
    auto answer = (*client)->Post("/api/v3/checks/", payload);
    if (!answer.ok()) {
      PrintError(fmt::format("line {}: {}", job.line, answer.error));
      ok = false;
      if (answer.status == 0 || answer.status == 401) break;  // the rest would fail the same way
      continue;
    }
    fmt::print(stderr, "# {} {}\n", answer.status == 201 ? "created" : "updated", JobSummary(job));
  }
  return ok;
}

int Run(const Context& ctx, CrontabArgs& args) {
  CrontabOptions options{.system = args.system || IsSystemCrontab(args.file),
                         .default_tz = args.tz.empty() ? LocalZone() : args.tz,
                         .now = std::chrono::floor<Micros>(std::chrono::system_clock::now())};
  if (auto zone = schedule::LocateZone(options.default_tz); !zone) {
    PrintError("--tz: " + zone.error().message);
    return kExitUsage;
  }
  if (!args.grace.empty()) {
    auto grace = ParseDuration(args.grace);
    if (!grace) {
      PrintError("--grace: " + grace.error().message);
      return kExitUsage;
    }
    options.grace = *grace;
  }
  auto text = ReadCrontab(args.file);
  if (!text) {
    PrintError(text.error().message);
    return kExitFailure;
  }
  CrontabImport import = ParseCrontab(*text, options);
  PrintNotes(import);
  if (import.jobs.empty()) return kExitOk;
  bool ok = true;
  if (args.apply) {
    ok = Apply(ctx, args, import);
  } else {
    for (const auto& job : import.jobs) fmt::print(stderr, "# would create {}\n", JobSummary(job));
    fmt::print(stderr, "# nothing was created: run again with --apply to create these {} checks\n",
               import.jobs.size());
  }
  std::cout << RewriteCrontab(import, kHeader);
  std::cout.flush();
  return ok ? kExitOk : kExitFailure;
}

}  // namespace

void AddImportCrontabCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CrontabArgs>();
  auto* cmd = app.add_subcommand(
      "import-crontab",
      "Propose a check per crontab job and print the crontab rewritten to report to them "
      "(--apply creates the checks)");
  cmd->add_option("file", args->file,
                  "Crontab file, - for standard input (default: your crontab, from `crontab -l`)");
  cmd->add_flag("--apply", args->apply, "Create (or update) the checks through the API");
  cmd->add_flag("--system", args->system,
                "A system crontab, with a user column (automatic for /etc/crontab and /etc/cron.d/*)");
  cmd->add_option("--grace", args->grace,
                  "Grace time for every check (default: a tenth of the time between runs, 5m-1h)");
  cmd->add_option("--tz", args->tz, "Time zone of jobs before any CRON_TZ= line (default: this machine's)");
  AddApiOptions(*cmd, ctx, args->target);
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return Run(ctx, *args); }; });
}

}  // namespace dogwatch::cli
