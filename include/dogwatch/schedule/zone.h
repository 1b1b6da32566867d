// IANA time zones from the system database (/usr/share/zoneinfo) through date/tz. Names are
// checked for path tricks before the database sees them. Thread-safe: date/tz loads each zone
// once under its own synchronization, and a located zone is immutable.
#pragma once

#include <string_view>

#include "dogwatch/core/result.h"

namespace date {
class time_zone;
}

namespace dogwatch::schedule {

// True if `name` is shaped like an IANA zone name: 1-64 characters of letters, digits, '/', '_',
// '-' and '+', no leading or trailing '/', no empty or dot-only path part. Says nothing about
// whether the zone exists.
bool IsZoneNameSafe(std::string_view name);

// The zone called `name` (case-sensitive, as in the database). Fails with kInvalidArgument,
// naming the zone, if the name is unsafe or unknown.
Result<const date::time_zone*> LocateZone(std::string_view name);

}  // namespace dogwatch::schedule
