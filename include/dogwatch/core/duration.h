// Durations as users write them in config and on the command line: "90s", "15m", "1h30m", "2d",
// "1w". Pure; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "dogwatch/core/result.h"

namespace dogwatch {

// Accepts one or more <digits><unit> groups with units w, d, h, m, s in that order, each at most
// once ("1h30m", not "30m1h"), and "0" alone. Rejects signs, decimals, spaces, empty text and
// totals above 100 years.
Result<std::chrono::seconds> ParseDuration(std::string_view text);

// The shortest form ParseDuration reads back to the same value: 5400s -> "1h30m", 0 -> "0s".
std::string FormatDuration(std::chrono::seconds d);

}  // namespace dogwatch
