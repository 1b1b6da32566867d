// The check as the v3 Management API shows it to a read-write key, for other modules that must
// say the same thing (a webhook's $JSON, reference §6.4). Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "dogwatch/core/time.h"
#include "dogwatch/model/types.h"
#include "dogwatch/monitor/monitor.h"

namespace dogwatch {

std::string CheckJsonV3(const Check& check, const std::vector<std::string>& channel_uuids,
                        const std::string& base_url, TimePoint now,
                        const ScheduleCompiler& compile_schedule);

}  // namespace dogwatch
