// Text for people from the API's JSON: statuses with symbols, schedules and durations in words,
// relative times, aligned tables. Pure; thread-compatible.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "dogwatch/core/time.h"

namespace dogwatch::cli {

// "1 hour 30 minutes", "1 day", "45 seconds": the two largest non-zero units.
std::string DurationWords(Seconds d);

// "just now", "5 minutes ago", "3 days ago"; "never" for null or unparsable times.
std::string RelativeTime(const nlohmann::json& iso_time, TimePoint now);

// "● up", "▲ late", "✖ down", "❚❚ paused", "○ new", with ", running" while started.
std::string StatusText(const nlohmann::json& check);

// "every 1 hour, grace 15 minutes" or "0 3 * * * Europe/Riga, grace 1 hour".
std::string ScheduleText(const nlohmann::json& check);

// The check's UUID, or its unique_key when the key is read-only.
std::string CheckId(const nlohmann::json& check);

// A JSON string field, or "" when it is absent or not a string.
std::string Str(const nlohmann::json& object, const char* field);

// Rows under a header, columns padded to their widest cell (UTF-8 aware), two spaces apart.
std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows);

}  // namespace dogwatch::cli
