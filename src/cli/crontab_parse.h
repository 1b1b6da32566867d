// `dogwatch import-crontab`'s pure half: reads a crontab (user or system), proposes one check per
// job (name, slug, cron schedule, zone, grace) and rewrites the crontab so each job reports to
// its check through `dogwatch run`. No I/O, no clock: `now` comes in. Thread-compatible.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dogwatch/core/time.h"

namespace dogwatch::cli {

struct CrontabOptions {
  bool system = false;     // a user column after the schedule (/etc/crontab, /etc/cron.d/*)
  std::string default_tz;  // for jobs before any CRON_TZ=/TZ= line
  std::optional<Seconds> grace;  // fixed grace; else GraceFor() of each job's schedule
  TimePoint now;           // schedules must fire after it; gaps are measured from it
};

struct CrontabJob {
  int line = 0;              // 1-based
  std::string schedule;      // five cron fields, single-spaced; aliases expanded (@daily -> 0 0 * * *)
  std::string schedule_text; // as written: "@daily" or "0 3 * * *"
  std::string user;          // system crontabs only
  std::string tz;
  std::string command;       // as written, % and all
  std::string name;          // unique within the crontab
  std::string slug;          // unique within the crontab
  Seconds grace{0};
  size_t command_offset = 0;  // where the command starts in the line (the rewrite keeps the rest)
};

struct CrontabNote {
  int line = 0;  // 0: about the whole file
  std::string text;
};

struct CrontabImport {
  std::vector<std::string> lines;  // the input, split on '\n' ("\r" kept)
  std::vector<CrontabJob> jobs;
  std::vector<CrontabNote> notes;  // in line order; skipped lines have one each
  bool trailing_newline = true;
};

// Parses `text`. Never fails: lines dogwatch cannot use are left as they are and noted
// ("line 4: hour: 25 is out of range 0-23; skipped").
CrontabImport ParseCrontab(std::string_view text, const CrontabOptions& options);

// The crontab with each job's command replaced by `dogwatch run --slug <slug> -- <command>`
// (through `sh -c '...'` when the command is more than one simple command), everything else
// unchanged, after `header` (comment lines, each ending in '\n').
std::string RewriteCrontab(const CrontabImport& import, std::string_view header);

// The command's wrapped form, as it appears in the rewritten line.
std::string WrapCommand(std::string_view command, std::string_view slug);

// A short name for a job: the program (or the script an interpreter runs), without its
// directory, plus a subcommand word when there is one ("certbot renew"); wrappers (nice, flock,
// timeout, sudo ...) and set-up commands (cd, test, sleep ...) are skipped. "job" when nothing
// is left.
std::string NameFromCommand(std::string_view command);

// Lower-case letters, digits and single dashes ("backup.sh" -> "backup-sh"); "job" if empty.
std::string SlugFromName(std::string_view name);

// A tenth of the smallest gap between the next runs after `now`, from 5 minutes to 1 hour.
// REQUIRES: cron was accepted by schedule::ParseCron with tz.
Seconds GraceFor(std::string_view cron, std::string_view tz, TimePoint now);

}  // namespace dogwatch::cli
