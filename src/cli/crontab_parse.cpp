#include "crontab_parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include "dogwatch/schedule/schedule.h"
#include "dogwatch/schedule/zone.h"

namespace dogwatch::cli {
namespace {

constexpr Seconds kMinGrace{5 * 60};
constexpr Seconds kMaxGrace{3600};
constexpr int kGapSamples = 50;
constexpr size_t kMaxSlugBase = 90;  // room for "-NNN" under the API's 100

struct Alias {
  std::string_view name;
  std::string_view cron;
};
// Debian cron's aliases (crontab(5)); @reboot is not a schedule and is handled apart.
constexpr std::array<Alias, 7> kAliases{{{"@yearly", "0 0 1 1 *"},
                                         {"@annually", "0 0 1 1 *"},
                                         {"@monthly", "0 0 1 * *"},
                                         {"@weekly", "0 0 * * 0"},
                                         {"@daily", "0 0 * * *"},
                                         {"@midnight", "0 0 * * *"},
                                         {"@hourly", "0 * * * *"}}};

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (IsSpace(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (IsSpace(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Whitespace-separated words of `line` from `pos`; returns the word and moves pos past it.
std::string_view NextWord(std::string_view line, size_t& pos) {
  while (pos < line.size() && IsSpace(line[pos])) ++pos;
  size_t start = pos;
  while (pos < line.size() && !IsSpace(line[pos])) ++pos;
  return line.substr(start, pos - start);
}

struct EnvLine {
  std::string name;
  std::string value;
};

// NAME=value, NAME = "value" or NAME='value' (crontab(5)); a job line never starts with a letter
// followed by '=' (its first field is the minute or an @alias).
std::optional<EnvLine> ParseEnvLine(std::string_view line) {
  std::string_view s = Trim(line);
  size_t i = 0;
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return {};
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
  std::string name(s.substr(0, i));
  while (i < s.size() && IsSpace(s[i])) ++i;
  if (i >= s.size() || s[i] != '=') return {};
  std::string_view value = Trim(s.substr(i + 1));
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return EnvLine{std::move(name), std::string(value)};
}

// Position of the first '%' cron turns into a newline (not preceded by a backslash), or npos.
size_t FirstUnescapedPercent(std::string_view command) {
  for (size_t i = 0; i < command.size(); ++i) {
    if (command[i] == '\\' && i + 1 < command.size()) {
      ++i;
      continue;
    }
    if (command[i] == '%') return i;
  }
  return std::string_view::npos;
}

// The command as the shell sees it: up to the first unescaped %, with "\%" read as "%".
std::string ShellPart(std::string_view command) {
  std::string_view head = command.substr(0, FirstUnescapedPercent(command));
  std::string out;
  for (size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\\' && i + 1 < head.size() && head[i + 1] == '%') continue;
    out += head[i];
  }
  return out;
}

bool AlreadyPings(std::string_view command) {
  return command.find("hc-ping.com") != std::string_view::npos ||
         command.find("/ping/") != std::string_view::npos;
}

class Parser {
 public:
  Parser(std::string_view text, const CrontabOptions& options) : options_(options) {
    tz_ = options.default_tz.empty() ? "UTC" : options.default_tz;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) {
        out_.lines.emplace_back(text.substr(start));
        out_.trailing_newline = false;
        break;
      }
      out_.lines.emplace_back(text.substr(start, end - start));
      start = end + 1;
    }
  }

  CrontabImport Run() && {
    for (size_t i = 0; i < out_.lines.size(); ++i) ParseLine(static_cast<int>(i + 1), out_.lines[i]);
    if (out_.jobs.empty()) {
      Note(0, out_.lines.empty() ? "the crontab is empty: no jobs to import"
                                 : "no jobs to import in this crontab");
    }
    return std::move(out_);
  }

 private:
  void Note(int line, std::string text) { out_.notes.push_back({line, std::move(text)}); }

  void ParseLine(int number, std::string_view line) {
    std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed.front() == '#') return;
    if (auto env = ParseEnvLine(line)) return OnEnv(number, *env);
    ParseJob(number, line);
  }

  void OnEnv(int number, const EnvLine& env) {
    if (env.name == "CRON_TZ" || env.name == "TZ") {
      tz_ = env.value.empty() ? (options_.default_tz.empty() ? "UTC" : options_.default_tz)
                              : env.value;
      if (auto zone = schedule::LocateZone(tz_); !zone) {
        Note(number, fmt::format("{}: {}; the jobs after it are skipped", env.name,
                                 zone.error().message));
      }
      return;
    }
    if (env.name == "MAILTO") {
      Note(number, "MAILTO kept (cron mails the output); dogwatch alerts through the checks' channels");
    }
  }

  void ParseJob(int number, std::string_view line) {
    size_t pos = 0;
    std::string_view first = NextWord(line, pos);
    std::string schedule, schedule_text;
    if (first.front() == '@') {
      if (first == "@reboot") {
        return Note(number, "@reboot runs once at boot, not on a schedule: left as it is");
      }
      auto alias = std::find_if(kAliases.begin(), kAliases.end(),
                                [&](const Alias& a) { return a.name == first; });
      if (alias == kAliases.end()) {
        return Note(number, fmt::format("unknown schedule '{}'; skipped", first));
      }
      schedule = std::string(alias->cron);
      schedule_text = std::string(first);
    } else {
      std::vector<std::string_view> fields{first};
      while (fields.size() < 5) {
        std::string_view word = NextWord(line, pos);
        if (word.empty()) break;
        fields.push_back(word);
      }
      if (fields.size() < 5) {
        return Note(number, fmt::format("expected five time fields and a command, found {} "
                                        "field{}; skipped",
                                        fields.size(), fields.size() == 1 ? "" : "s"));
      }
      schedule = fmt::format("{}", fmt::join(fields, " "));
      schedule_text = schedule;
    }
    CrontabJob job{.line = number, .schedule = schedule, .schedule_text = schedule_text};
    if (options_.system) {
      job.user = std::string(NextWord(line, pos));
      if (job.user.empty()) return Note(number, "no user and command after the schedule; skipped");
    }
    while (pos < line.size() && IsSpace(line[pos])) ++pos;
    job.command_offset = pos;
    job.command = std::string(Trim(line.substr(pos)));
    if (job.command.empty()) return Note(number, "no command after the schedule; skipped");
    // A sixth time field ("0 0 3 * * *", seconds first) is not crontab syntax: it would be the
    // command. Cron would fail to run it, so say so instead of wrapping it.
    auto parsed = schedule::ParseCheckCron(schedule, tz_, options_.now);
    if (!parsed) return Note(number, fmt::format("{}; skipped", parsed.error().message));
    job.tz = tz_;
    job.grace = options_.grace ? *options_.grace : GraceFor(schedule, tz_, options_.now);
    NameJob(job);
    if (FirstUnescapedPercent(job.command) != std::string::npos) {
      Note(number, "cron gives the text after the first unescaped % to the job's standard "
                   "input; kept as written (\\% is a literal %)");
    }
    if (AlreadyPings(job.command)) {
      Note(number, "this job already pings a monitor; remove that ping once dogwatch run "
                   "reports for it");
    }
    out_.jobs.push_back(std::move(job));
  }

  void NameJob(CrontabJob& job) {
    std::string name = NameFromCommand(ShellPart(job.command));
    std::string slug = SlugFromName(name);
    if (slug.size() > kMaxSlugBase) slug.resize(kMaxSlugBase);
    job.name = name;
    job.slug = slug;
    for (int n = 2; slugs_.count(job.slug) > 0 || names_.count(job.name) > 0; ++n) {
      job.name = fmt::format("{}-{}", name, n);
      job.slug = fmt::format("{}-{}", slug, n);
    }
    slugs_.insert(job.slug);
    names_.insert(job.name);
  }

  const CrontabOptions& options_;
  CrontabImport out_;
  std::string tz_;
  std::set<std::string> slugs_, names_;
};

}  // namespace

CrontabImport ParseCrontab(std::string_view text, const CrontabOptions& options) {
  return Parser(text, options).Run();
}

std::string RewriteCrontab(const CrontabImport& import, std::string_view header) {
  std::string out(header);
  size_t next_job = 0;
  for (size_t i = 0; i < import.lines.size(); ++i) {
    const std::string& line = import.lines[i];
    if (next_job < import.jobs.size() && import.jobs[next_job].line == static_cast<int>(i + 1)) {
      const CrontabJob& job = import.jobs[next_job++];
      out += line.substr(0, job.command_offset);
      out += WrapCommand(job.command, job.slug);
      if (!line.empty() && line.back() == '\r') out += '\r';
    } else {
      out += line;
    }
    if (i + 1 < import.lines.size() || import.trailing_newline) out += '\n';
  }
  return out;
}

Seconds GraceFor(std::string_view cron, std::string_view tz, TimePoint now) {
  auto schedule = schedule::ParseCron(cron, tz);
  if (!schedule) return kMaxGrace;
  auto times = schedule::NextN(*schedule, now, kGapSamples);
  if (times.size() < 2) return kMaxGrace;
  auto smallest = times[1] - times[0];
  for (size_t i = 2; i < times.size(); ++i) smallest = std::min(smallest, times[i] - times[i - 1]);
  auto tenth = std::chrono::floor<std::chrono::minutes>(smallest / 10);
  return std::clamp<Seconds>(tenth, kMinGrace, kMaxGrace);
}

}  // namespace dogwatch::cli
