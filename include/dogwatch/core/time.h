// Time types and ISO 8601 formatting. Instants are UTC microseconds since the Unix epoch, as the
// database stores them. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dogwatch {

using Micros = std::chrono::microseconds;
using Seconds = std::chrono::seconds;
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Micros>;

inline int64_t ToUnixMicros(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromUnixMicros(int64_t us) { return TimePoint(Micros(us)); }

// "2026-03-29T01:00:00Z" (seconds precision).
std::string FormatIsoZ(TimePoint t);
// "2026-03-29T01:00:00+00:00": the API's timestamps, no sub-seconds.
std::string FormatIsoApi(TimePoint t);
// "2026-03-29T01:00:00.123456+00:00": the API's ping dates.
std::string FormatIsoApiMicros(TimePoint t);

// Parses "2026-03-29T01:00:00Z", "...T01:00:00.5Z", "...T03:00:00+02:00" and "2026-03-29 01:00".
// A time without an offset is UTC. nullopt on anything else.
std::optional<TimePoint> ParseIso(std::string_view text);

}  // namespace dogwatch
