#include "dogwatch/core/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>

#include "dogwatch/core/time.h"

namespace dogwatch::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::atomic<bool> g_journal{std::getenv("JOURNAL_STREAM") != nullptr};

// syslog priorities: debug 7, info 6, warning 4, err 3.
const char* Priority(Level level) {
  switch (level) {
    case Level::kDebug: return "<7>";
    case Level::kInfo: return "<6>";
    case Level::kWarn: return "<4>";
    case Level::kError: return "<3>";
  }
  return "<6>";
}

}  // namespace

Result<Level> ParseLevel(std::string_view text) {
  if (text == "debug") return Level::kDebug;
  if (text == "info") return Level::kInfo;
  if (text == "warn" || text == "warning") return Level::kWarn;
  if (text == "error") return Level::kError;
  return Fail(Errc::kInvalidArgument, "unknown log level '{}' (expected debug, info, warn or error)",
              text);
}

const char* LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}

void SetLevel(Level level) { g_level = static_cast<int>(level); }
bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed); }
void DetectJournal() { g_journal = std::getenv("JOURNAL_STREAM") != nullptr; }

void Write(Level level, std::string_view line) {
  std::string out;
  out.reserve(line.size() + 40);
  if (g_journal) {
    out += Priority(level);
  } else {
    auto now = std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
    out += FormatIsoZ(now);
    out += ' ';
    out += LevelName(level);
    out += ' ';
  }
  out += line;
  out += '\n';
  // One write per line keeps lines whole when threads log at once.
  const char* p = out.data();
  size_t left = out.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) return;  // nowhere to report a failing stderr
    p += n;
    left -= static_cast<size_t>(n);
  }
}

std::string Quote(std::string_view value) {
  bool plain = !value.empty();
  for (unsigned char c : value) {
    if (c <= ' ' || c == '"' || c == '\\' || c == 0x7f) plain = false;
  }
  if (plain) return std::string(value);
  std::string out = "\"";
  for (unsigned char c : value) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < ' ' || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

}  // namespace dogwatch::log
