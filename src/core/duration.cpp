#include "dogwatch/core/duration.h"

#include <array>

namespace dogwatch {
namespace {

struct Unit {
  char suffix;
  int64_t seconds;
};
constexpr std::array<Unit, 5> kUnits{{{'w', 604800}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};
constexpr int64_t kMaxSeconds = int64_t{100} * 365 * 86400;

}  // namespace

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  if (text.empty()) return Fail(Errc::kInvalidArgument, "empty duration (expected e.g. 90s, 15m, 1h30m, 2d)");
  if (text == "0") return std::chrono::seconds(0);
  int64_t total = 0;
  size_t next_unit = 0;  // units must appear largest first, each once
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = pos;
    int64_t n = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      n = n * 10 + (text[pos] - '0');
      if (n > kMaxSeconds) return Fail(Errc::kInvalidArgument, "duration '{}' is too large", text);
      ++pos;
    }
    if (pos == start) {
      return Fail(Errc::kInvalidArgument,
                  "invalid duration '{}' (expected e.g. 90s, 15m, 1h30m, 2d)", text);
    }
    if (pos == text.size()) {
      return Fail(Errc::kInvalidArgument, "duration '{}' needs a unit (s, m, h, d or w)", text);
    }
    char u = text[pos++];
    size_t i = next_unit;
    while (i < kUnits.size() && kUnits[i].suffix != u) ++i;
    if (i == kUnits.size()) {
      return Fail(Errc::kInvalidArgument,
                  "invalid duration '{}' (units are w, d, h, m, s, largest first)", text);
    }
    next_unit = i + 1;
    total += n * kUnits[i].seconds;
    if (total > kMaxSeconds) return Fail(Errc::kInvalidArgument, "duration '{}' is too large", text);
  }
  return std::chrono::seconds(total);
}

std::string FormatDuration(std::chrono::seconds d) {
  int64_t left = d.count();
  if (left == 0) return "0s";
  std::string out;
  if (left < 0) {
    out = "-";
    left = -left;
  }
  // Weeks read badly ("1w3d"); print days and below.
  for (const auto& unit : kUnits) {
    if (unit.suffix == 'w') continue;
    if (left >= unit.seconds) {
      out += std::to_string(left / unit.seconds);
      out += unit.suffix;
      left %= unit.seconds;
    }
  }
  return out;
}

}  // namespace dogwatch
