#include "dogwatch/schedule/zone.h"

#include <date/tz.h>

#include <stdexcept>
#include <string>

#include "schedule/text.h"

namespace dogwatch::schedule {
namespace {

bool IsNameChar(char c) {
  // ASCII only, whatever the locale says.
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
         c == '_' || c == '-' || c == '+';
}

}  // namespace

bool IsZoneNameSafe(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/') return false;
  for (char c : name)
    if (!IsNameChar(c)) return false;
  // No "." or ".." parts (dots are not allowed at all above, but keep the rule explicit) and no
  // empty parts ("a//b").
  if (name.find("//") != std::string_view::npos) return false;
  return name.find("..") == std::string_view::npos;
}

Result<const date::time_zone*> LocateZone(std::string_view name) {
  if (!IsZoneNameSafe(name))
    return Fail(Errc::kInvalidArgument, "invalid time zone '{}'", Printable(name));
  try {
    // date/tz throws std::runtime_error for names it does not know and for unreadable files.
    const date::time_zone* zone = date::locate_zone(std::string(name));
    zone->get_info(date::sys_seconds{});  // load the file now, so later lookups cannot throw
    return zone;
  } catch (const std::exception&) {
    return Fail(Errc::kInvalidArgument, "unknown time zone '{}'", Printable(name));
  }
}

}  // namespace dogwatch::schedule
