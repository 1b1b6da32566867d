// import-crontab's parser: crontab(5) syntax (environment lines, CRON_TZ, %, aliases, @reboot, the
// user column of system crontabs), skipped lines with their numbers, names and slugs, grace.
#include <doctest/doctest.h>

#include <string>

#include "cli/crontab_parse.h"
#include "dogwatch/core/time.h"

using namespace dogwatch;
using namespace dogwatch::cli;
using namespace std::chrono_literals;

namespace {

TimePoint At(const char* iso) { return *ParseIso(iso); }

CrontabOptions Options(bool system = false) {
  return {.system = system, .default_tz = "UTC", .now = At("2025-01-01T00:00:00Z")};
}

bool HasNote(const CrontabImport& import, int line, const std::string& part) {
  for (const auto& note : import.notes) {
    if (note.line == line && note.text.find(part) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("crontab: a plain job becomes a check named after its script") {
  auto import = ParseCrontab("0 3 * * * /usr/local/bin/backup.sh --full\n", Options());
  REQUIRE(import.jobs.size() == 1);
  const auto& job = import.jobs[0];
  CHECK(job.line == 1);
  CHECK(job.schedule == "0 3 * * *");
  CHECK(job.tz == "UTC");
  CHECK(job.command == "/usr/local/bin/backup.sh --full");
  CHECK(job.name == "backup.sh");
  CHECK(job.slug == "backup-sh");
  CHECK(job.grace == 1h);  // a tenth of a day, at most an hour
  CHECK(import.notes.empty());
  CHECK(RewriteCrontab(import, "# h\n") ==
        "# h\n0 3 * * * dogwatch run --slug backup-sh -- /usr/local/bin/backup.sh --full\n");
}

TEST_CASE("crontab: comments, blank lines and environment lines are kept and not jobs") {
  const std::string text =
      "# nightly jobs\n"
      "\n"
      "SHELL=/bin/bash\n"
      "PATH = /usr/local/bin:/usr/bin:/bin\n"
      "MAILTO=ops@example.com\n"
      "  # indented comment\n"
      "*/15 * * * * /opt/sync\n";
  auto import = ParseCrontab(text, Options());
  REQUIRE(import.jobs.size() == 1);
  CHECK(import.jobs[0].line == 7);
  CHECK(HasNote(import, 5, "MAILTO"));
  CHECK(import.notes.size() == 1);
  CHECK(RewriteCrontab(import, "") ==
        "# nightly jobs\n\nSHELL=/bin/bash\nPATH = /usr/local/bin:/usr/bin:/bin\n"
        "MAILTO=ops@example.com\n  # indented comment\n"
        "*/15 * * * * dogwatch run --slug sync -- /opt/sync\n");
}

TEST_CASE("crontab: CRON_TZ and TZ set the zone of the jobs after them") {
  const std::string text =
      "0 1 * * * /bin/a\n"
      "CRON_TZ=Europe/Riga\n"
      "0 2 * * * /bin/b\n"
      "TZ=\"America/New_York\"\n"
      "0 3 * * * /bin/c\n"
      "CRON_TZ=\n"
      "0 4 * * * /bin/d\n"
      "CRON_TZ=Mars/Base\n"
      "0 5 * * * /bin/e\n";
  auto import = ParseCrontab(text, Options());
  REQUIRE(import.jobs.size() == 4);
  CHECK(import.jobs[0].tz == "UTC");
  CHECK(import.jobs[1].tz == "Europe/Riga");
  CHECK(import.jobs[2].tz == "America/New_York");
  CHECK(import.jobs[3].tz == "UTC");  // an empty CRON_TZ goes back to the default
  CHECK(HasNote(import, 8, "Mars/Base"));
  CHECK(HasNote(import, 9, "Mars/Base"));  // the job after an unknown zone is skipped
}

TEST_CASE("crontab: % keeps the command as written, with a note; \\% is not a note") {
  auto import = ParseCrontab(
      "0 0 * * * mail -s hi root%line one%line two\n"
      "0 1 * * * date +\\%Y-\\%m-\\%d > /tmp/today\n",
      Options());
  REQUIRE(import.jobs.size() == 2);
  CHECK(import.jobs[0].command == "mail -s hi root%line one%line two");
  CHECK(import.jobs[0].name == "mail");
  CHECK(HasNote(import, 1, "standard input"));
  CHECK_FALSE(HasNote(import, 2, "standard input"));
  // Only the part before the first unescaped % is wrapped; the rest stays cron's stdin.
  CHECK(WrapCommand(import.jobs[0].command, "mail") ==
        "dogwatch run --slug mail -- mail -s hi root%line one%line two");
  CHECK(WrapCommand(import.jobs[1].command, "date") ==
        "dogwatch run --slug date -- sh -c 'date +\\%Y-\\%m-\\%d > /tmp/today'");
  CHECK(WrapCommand("echo 'a b' | wc -c%in", "x") ==
        "dogwatch run --slug x -- sh -c 'echo '\\''a b'\\'' | wc -c'%in");
}

TEST_CASE("crontab: @reboot is skipped with a note; the aliases become cron expressions") {
  const std::string text =
      "@reboot /usr/bin/start-thing\n"
      "@yearly /bin/y\n"
      "@annually /bin/a\n"
      "@monthly /bin/m\n"
      "@weekly /bin/w\n"
      "@daily /bin/d\n"
      "@midnight /bin/n\n"
      "@hourly /bin/h\n"
      "@sometimes /bin/s\n";
  auto import = ParseCrontab(text, Options());
  CHECK(HasNote(import, 1, "@reboot"));
  CHECK(HasNote(import, 9, "unknown schedule '@sometimes'"));
  REQUIRE(import.jobs.size() == 7);
  CHECK(import.jobs[0].schedule == "0 0 1 1 *");
  CHECK(import.jobs[1].schedule == "0 0 1 1 *");
  CHECK(import.jobs[2].schedule == "0 0 1 * *");
  CHECK(import.jobs[3].schedule == "0 0 * * 0");
  CHECK(import.jobs[4].schedule == "0 0 * * *");
  CHECK(import.jobs[5].schedule == "0 0 * * *");
  CHECK(import.jobs[6].schedule == "0 * * * *");
  CHECK(import.jobs[6].schedule_text == "@hourly");
  CHECK(import.jobs[6].grace == 6min);
  auto rewritten = RewriteCrontab(import, "");
  CHECK(rewritten.find("@reboot /usr/bin/start-thing\n") == 0);
  CHECK(rewritten.find("@hourly dogwatch run --slug h -- /bin/h\n") != std::string::npos);
  CHECK(rewritten.find("@sometimes /bin/s\n") != std::string::npos);
}

TEST_CASE("crontab: system crontabs have a user column, kept in the rewrite") {
  const std::string text =
      "SHELL=/bin/sh\n"
      "17 *\t* * *\troot    cd / && run-parts --report /etc/cron.hourly\n"
      "25 6 * * *  root test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )\n"
      "@daily www-data php /var/www/app/artisan schedule:run >> /dev/null 2>&1\n"
      "0 4 * * * root\n";
  auto import = ParseCrontab(text, Options(/*system=*/true));
  REQUIRE(import.jobs.size() == 3);
  CHECK(import.jobs[0].user == "root");
  CHECK(import.jobs[0].name == "cron.hourly");
  CHECK(import.jobs[1].name == "cron.daily");
  CHECK(import.jobs[2].user == "www-data");
  CHECK(import.jobs[2].name == "artisan schedule:run");
  CHECK(import.jobs[2].slug == "artisan-schedule-run");
  CHECK(HasNote(import, 5, "no command"));
  auto rewritten = RewriteCrontab(import, "");
  CHECK(rewritten.find("17 *\t* * *\troot    dogwatch run --slug cron-hourly -- sh -c "
                       "'cd / && run-parts --report /etc/cron.hourly'\n") != std::string::npos);
  // The same file read as a user crontab: "root" is the command.
  auto as_user = ParseCrontab(text, Options());
  REQUIRE(as_user.jobs.size() == 4);
  CHECK(as_user.jobs[3].name == "root");
}

TEST_CASE("crontab: invalid lines are reported with their numbers and skipped") {
  const std::string text =
      "0 3 * * * /ok\n"
      "0 25 * * * /bad-hour\n"
      "0 3 * *\n"
      "61 * * * * /bad-minute\n"
      "0 0 30 2 * /never\n"
      "0 3 * * *\n"
      "garbage line here and more\n"
      "*/5 * * * * /ok2\n";
  auto import = ParseCrontab(text, Options());
  REQUIRE(import.jobs.size() == 2);
  CHECK(import.jobs[0].line == 1);
  CHECK(import.jobs[1].line == 8);
  CHECK(HasNote(import, 2, "hour"));
  CHECK(HasNote(import, 2, "skipped"));
  CHECK(HasNote(import, 3, "expected five time fields"));
  CHECK(HasNote(import, 4, "minute"));
  CHECK(HasNote(import, 5, "skipped"));
  CHECK(HasNote(import, 6, "no command"));
  CHECK(HasNote(import, 7, "skipped"));
  // Skipped lines stay in the rewrite, unchanged.
  CHECK(RewriteCrontab(import, "").find("0 25 * * * /bad-hour\n") != std::string::npos);
}

TEST_CASE("crontab: an empty crontab has no jobs and one note") {
  for (const char* text : {"", "\n\n", "# only comments\nMAILTO=\"\"\n"}) {
    auto import = ParseCrontab(text, Options());
    CHECK(import.jobs.empty());
    CHECK(HasNote(import, 0, "no jobs"));
  }
}

TEST_CASE("crontab: names and slugs come from the command and are unique in the file") {
  CHECK(NameFromCommand("/usr/local/bin/backup.sh --full") == "backup.sh");
  CHECK(NameFromCommand("cd /x && ./y") == "y");
  CHECK(NameFromCommand("/usr/bin/certbot renew --quiet") == "certbot renew");
  CHECK(NameFromCommand("pg_dump -Fc mydb | gzip > /backups/db.gz") == "pg_dump");
  CHECK(NameFromCommand("nice -n 10 ionice -c3 flock -n /tmp/x.lock /opt/bin/reindex.py") ==
        "reindex.py");
  CHECK(NameFromCommand("timeout 1h /usr/bin/rsync -a /src /dst") == "rsync");
  CHECK(NameFromCommand("FOO=1 BAR=2 /opt/job") == "job");
  CHECK(NameFromCommand("/usr/bin/python3 -u /srv/app/manage.py clearsessions") ==
        "manage.py clearsessions");
  CHECK(NameFromCommand("bash -c 'sleep 30; /opt/report.sh'") == "report.sh");
  CHECK(NameFromCommand("sleep 10") == "sleep");
  CHECK(NameFromCommand("") == "job");
  CHECK(SlugFromName("backup.sh") == "backup-sh");
  CHECK(SlugFromName("Certbot  Renew!") == "certbot-renew");
  CHECK(SlugFromName("under_score") == "under_score");
  CHECK(SlugFromName("...") == "job");

  auto import = ParseCrontab(
      "0 1 * * * /a/backup.sh\n0 2 * * * /b/backup.sh\n0 3 * * * /c/backup.sh --x\n", Options());
  REQUIRE(import.jobs.size() == 3);
  CHECK(import.jobs[0].slug == "backup-sh");
  CHECK(import.jobs[1].slug == "backup-sh-2");
  CHECK(import.jobs[1].name == "backup.sh-2");
  CHECK(import.jobs[2].slug == "backup-sh-3");
}

TEST_CASE("crontab: commands that are not one simple command run through sh -c") {
  CHECK(WrapCommand("/opt/a --x=1 ~/b", "a") == "dogwatch run --slug a -- /opt/a --x=1 ~/b");
  CHECK(WrapCommand("cd /x && ./y", "y") == "dogwatch run --slug y -- sh -c 'cd /x && ./y'");
  CHECK(WrapCommand("FOO=1 /opt/job", "job") == "dogwatch run --slug job -- sh -c 'FOO=1 /opt/job'");
  CHECK(WrapCommand("/opt/job > /dev/null 2>&1", "job") ==
        "dogwatch run --slug job -- sh -c '/opt/job > /dev/null 2>&1'");
  CHECK(WrapCommand("cd /srv", "cd") == "dogwatch run --slug cd -- sh -c 'cd /srv'");
}

TEST_CASE("crontab: grace is a tenth of the smallest gap between runs, 5 minutes to 1 hour") {
  TimePoint now = At("2025-01-01T00:00:00Z");
  CHECK(GraceFor("* * * * *", "UTC", now) == 5min);
  CHECK(GraceFor("0 * * * *", "UTC", now) == 6min);
  CHECK(GraceFor("0 */3 * * *", "UTC", now) == 18min);
  CHECK(GraceFor("0,50 * * * *", "UTC", now) == 5min);  // 10-minute gaps count, not 50
  CHECK(GraceFor("0 3 * * *", "UTC", now) == 1h);
  CHECK(GraceFor("0 3 1 1 *", "UTC", now) == 1h);
  auto options = Options();
  options.grace = 2h;
  auto import = ParseCrontab("* * * * * /a\n", options);
  REQUIRE(import.jobs.size() == 1);
  CHECK(import.jobs[0].grace == 2h);
}

TEST_CASE("crontab: CRLF lines and a missing final newline survive the rewrite") {
  auto import = ParseCrontab("# c\r\n0 3 * * * /opt/x\r\n@daily /opt/y", Options());
  REQUIRE(import.jobs.size() == 2);
  CHECK(import.jobs[0].command == "/opt/x");
  CHECK(RewriteCrontab(import, "") ==
        "# c\r\n0 3 * * * dogwatch run --slug x -- /opt/x\r\n@daily dogwatch run --slug y -- /opt/y");
}
