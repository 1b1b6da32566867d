// Logging: one line per event on stderr, "event key=value ...". Under journald (JOURNAL_STREAM
// set) each line starts with a syslog priority ("<6>"), otherwise with an ISO timestamp and the
// level. Thread-safe: each line is written with a single write(2).
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

#include "dogwatch/core/result.h"

namespace dogwatch::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

Result<Level> ParseLevel(std::string_view text);
const char* LevelName(Level level);

// Set once at start-up, before threads start; read by every thread.
void SetLevel(Level level);
bool Enabled(Level level);
// Re-reads JOURNAL_STREAM (tests flip it); normally read once at start-up.
void DetectJournal();

void Write(Level level, std::string_view line);

template <typename... Args>
void Debug(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kDebug)) Write(Level::kDebug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Info(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kInfo)) Write(Level::kInfo, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Warn(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kWarn)) Write(Level::kWarn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void Error(fmt::format_string<Args...> f, Args&&... args) {
  if (Enabled(Level::kError)) Write(Level::kError, fmt::format(f, std::forward<Args>(args)...));
}

// Quotes a value for key=value output when it holds spaces, quotes or control characters.
std::string Quote(std::string_view value);

}  // namespace dogwatch::log
