// The one place the app connects schedules to the monitor and the API: compiling a check's
// schedule into "next fire after t", and validating time-zone names. Thread-safe.
#pragma once

#include <string>

#include "dogwatch/monitor/monitor.h"

namespace dogwatch {

ScheduleCompiler MakeScheduleCompiler();
bool ValidTimeZone(const std::string& name);
// A check's schedule in words for alerts: "Every 1 day, grace 1 hour",
// "At 03:00 every day (Europe/Riga) (cron 0 3 * * *), grace 1 hour".
std::string DescribeCheckSchedule(const Check& check);

}  // namespace dogwatch
