// Config as code (SPEC §9): the [[project]], [[channel]] and [[check]] tables of the config file
// made true in the database, at start-up and on reload. Runs on the main thread; checks change
// only through the monitor's commands, channels through the notifier's channel writes.
#pragma once

#include <string>

#include "dogwatch/config/config.h"
#include "dogwatch/monitor/monitor.h"
#include "dogwatch/notify/notifier.h"

namespace dogwatch {

// What the file alone cannot say: schedules that do not compile, unknown time zones, channel
// settings a kind refuses, shell channels while [alerts] shell_enabled is off. Errors name the
// table as "file:line:col: ...". Changes nothing.
Status ValidateDeclared(const Config& config, const ScheduleCompiler& compile);

struct ReconcileCounts {
  int projects_created = 0;
  int checks_created = 0, checks_updated = 0, checks_deleted = 0;
  int channels_created = 0, channels_updated = 0, channels_deleted = 0;
};

// Creates the declared projects that are missing (projects are never deleted here), then
// creates, updates and deletes channels and checks marked as managed by the config so that the
// database matches the file. A check is found by project plus slug, so it keeps its UUID and
// history; an existing check with that slug made in the UI or API is adopted. REQUIRES:
// ValidateDeclared(config) passed; monitor and notifier are running.
Result<ReconcileCounts> Reconcile(const Config& config, const std::string& database_path, Monitor& monitor,
                                  Notifier& notifier);

}  // namespace dogwatch
