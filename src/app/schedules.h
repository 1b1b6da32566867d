// The one place the app connects schedules to the monitor and the API: compiling a check's
// schedule into "next fire after t", and validating time-zone names. Thread-safe.
#pragma once

#include <string>

#include "dogwatch/monitor/monitor.h"

namespace dogwatch {

ScheduleCompiler MakeScheduleCompiler();
bool ValidTimeZone(const std::string& name);

}  // namespace dogwatch
