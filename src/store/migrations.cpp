// Numbered, forward-only schema migrations. Never edit a shipped one: add the next.
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "impl.h"

namespace dogwatch {
namespace {

// 'dogw': marks the file as ours, so a foreign SQLite database is refused rather than migrated.
constexpr int kApplicationId = 0x646f6777;

// Times are INTEGER Unix microseconds (UTC); durations INTEGER seconds unless named _us.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  created       INTEGER NOT NULL
);

CREATE TABLE sessions (
  id         INTEGER PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created    INTEGER NOT NULL,
  expires    INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE projects (
  id        INTEGER PRIMARY KEY,
  uuid      TEXT NOT NULL UNIQUE,
  name      TEXT NOT NULL UNIQUE,
  owner_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  ping_key  TEXT NOT NULL UNIQUE,
  badge_key TEXT NOT NULL UNIQUE,
  created   INTEGER NOT NULL
);

CREATE TABLE project_members (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role       TEXT NOT NULL DEFAULT 'w' CHECK (role IN ('r', 'w', 'm')),
  PRIMARY KEY (project_id, user_id)
);

CREATE TABLE api_keys (
  id         INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  prefix     TEXT NOT NULL,
  key_hash   TEXT NOT NULL UNIQUE,
  read_only  INTEGER NOT NULL CHECK (read_only IN (0, 1)),
  name       TEXT NOT NULL DEFAULT '',
  created    INTEGER NOT NULL,
  last_used  INTEGER
);
CREATE INDEX api_keys_project ON api_keys(project_id);

CREATE TABLE checks (
  id                  INTEGER PRIMARY KEY,
  uuid                TEXT NOT NULL UNIQUE,
  project_id          INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name                TEXT NOT NULL DEFAULT '',
  slug                TEXT NOT NULL DEFAULT '',
  tags                TEXT NOT NULL DEFAULT '',
  desc                TEXT NOT NULL DEFAULT '',
  created             INTEGER NOT NULL,
  kind                TEXT NOT NULL DEFAULT 'simple' CHECK (kind IN ('simple', 'cron', 'oncalendar')),
  timeout             INTEGER NOT NULL DEFAULT 86400,
  grace               INTEGER NOT NULL DEFAULT 3600,
  schedule            TEXT NOT NULL DEFAULT '* * * * *',
  tz                  TEXT NOT NULL DEFAULT 'UTC',
  filter_subject      INTEGER NOT NULL DEFAULT 0,
  filter_body         INTEGER NOT NULL DEFAULT 0,
  filter_http_body    INTEGER NOT NULL DEFAULT 0,
  filter_default_fail INTEGER NOT NULL DEFAULT 0,
  start_kw            TEXT NOT NULL DEFAULT '',
  success_kw          TEXT NOT NULL DEFAULT '',
  failure_kw          TEXT NOT NULL DEFAULT '',
  methods             TEXT NOT NULL DEFAULT '' CHECK (methods IN ('', 'POST')),
  manual_resume       INTEGER NOT NULL DEFAULT 0,
  badge_key           TEXT NOT NULL UNIQUE,
  n_pings             INTEGER NOT NULL DEFAULT 0,
  last_ping           INTEGER,
  last_start          INTEGER,
  last_start_rid      TEXT,
  last_duration_us    INTEGER,
  alert_after         INTEGER,
  status              TEXT NOT NULL DEFAULT 'new'
                      CHECK (status IN ('new', 'up', 'grace', 'down', 'paused')),
  source              TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'config'))
);
CREATE INDEX checks_project_slug ON checks(project_id, slug);
CREATE INDEX checks_alert_after ON checks(alert_after) WHERE status <> 'down';

CREATE TABLE pings (
  id          INTEGER PRIMARY KEY,
  check_id    INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
  n           INTEGER NOT NULL,
  created     INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('success', 'start', 'fail', 'log', 'ign')),
  scheme      TEXT NOT NULL DEFAULT 'http',
  remote_addr TEXT NOT NULL DEFAULT '',
  method      TEXT NOT NULL DEFAULT '',
  ua          TEXT NOT NULL DEFAULT '',
  body        BLOB,
  exit_status INTEGER,
  rid         TEXT,
  duration_us INTEGER,
  UNIQUE (check_id, n)
);

CREATE TABLE flips (
  id         INTEGER PRIMARY KEY,
  check_id   INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
  created    INTEGER NOT NULL,
  old_status TEXT NOT NULL,
  new_status TEXT NOT NULL,
  reason     TEXT NOT NULL DEFAULT '',
  processed  INTEGER
);
CREATE INDEX flips_check_created ON flips(check_id, created);
CREATE INDEX flips_unprocessed ON flips(id) WHERE processed IS NULL;

CREATE TABLE channels (
  id          INTEGER PRIMARY KEY,
  uuid        TEXT NOT NULL UNIQUE,
  project_id  INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name        TEXT NOT NULL DEFAULT '',
  kind        TEXT NOT NULL,
  value       TEXT NOT NULL DEFAULT '{}',
  created     INTEGER NOT NULL,
  disabled    INTEGER NOT NULL DEFAULT 0,
  last_notify INTEGER,
  last_notify_duration_us INTEGER,
  last_error  TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL DEFAULT 'api' CHECK (source IN ('api', 'config'))
);
CREATE INDEX channels_project ON channels(project_id);

CREATE TABLE check_channels (
  check_id   INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
  channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  PRIMARY KEY (check_id, channel_id)
);
CREATE INDEX check_channels_channel ON check_channels(channel_id);

CREATE TABLE notifications (
  id           INTEGER PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE,
  flip_id      INTEGER REFERENCES flips(id) ON DELETE CASCADE,
  check_id     INTEGER REFERENCES checks(id) ON DELETE CASCADE,
  channel_id   INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  check_status TEXT NOT NULL,
  created      INTEGER NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  next_attempt INTEGER,
  processed    INTEGER,
  error        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_due ON notifications(next_attempt) WHERE state = 'pending';
CREATE INDEX notifications_check ON notifications(check_id, created);
)sql";

// v2: nothing queries checks by alert_after (the monitor loads every check at start-up and keeps
// deadlines in its timer wheel), and keeping that index current cost an index update per ping.
constexpr std::string_view kV2 = R"sql(
DROP INDEX checks_alert_after;
)sql";

// v3: the notifier's bookkeeping. `claimed` marks a notification being sent right now (a claim
// left by a process that died is re-sent at start-up: at-least-once); every attempt is kept with
// its time, outcome and error (SPEC §7).
constexpr std::string_view kV3 = R"sql(
ALTER TABLE notifications ADD COLUMN claimed INTEGER;
CREATE TABLE notification_attempts (
  id              INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
  created         INTEGER NOT NULL,
  duration_us     INTEGER NOT NULL,
  outcome         TEXT NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
  error           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notification_attempts_notification ON notification_attempts(notification_id);
CREATE INDEX notifications_channel ON notifications(channel_id, created);
)sql";

// v4: instance-wide settings; today the secret that signs badge URLs (reference §4.1), made once
// per database so that badge links survive restarts, upgrades and backups.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

constexpr std::array<std::string_view, 4> kMigrations{kV1, kV2, kV3, kV4};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

namespace store_internal {

int ApplicationId() { return kApplicationId; }

Status Migrate(SQLite::Database& db) {
  for (int version = 1; version <= LatestSchemaVersion(); ++version) {
    // IMMEDIATE takes the write lock first, so two processes starting at once cannot both apply
    // the same migration: the second re-reads user_version under the lock and skips it.
    SQLite::Transaction txn(db, SQLite::TransactionBehavior::IMMEDIATE);
    int current = db.execAndGet("PRAGMA user_version").getInt();
    if (current >= version) continue;
    db.exec(std::string(kMigrations[static_cast<size_t>(version - 1)]));
    db.exec(fmt::format("PRAGMA user_version = {}", version));
    db.exec(fmt::format("PRAGMA application_id = {}", kApplicationId));
    txn.commit();
  }
  return Ok();
}

}  // namespace store_internal
}  // namespace dogwatch
