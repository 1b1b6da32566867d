#include "client_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace dogwatch::cli {
namespace {

std::string Plural(int64_t n, std::string_view unit) {
  return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
}

// Code points, not bytes: enough for the symbols and for names in most scripts.
size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string Str(const nlohmann::json& object, const char* field) {
  if (!object.is_object()) return "";
  auto it = object.find(field);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string DurationWords(Seconds d) {
  struct Unit {
    int64_t seconds;
    std::string_view name;
  };
  constexpr std::array<Unit, 4> kUnits{{{86400, "day"}, {3600, "hour"}, {60, "minute"}, {1, "second"}}};
  int64_t left = d.count();
  if (left <= 0) return "0 seconds";
  std::string out;
  int parts = 0;
  for (const Unit& unit : kUnits) {
    int64_t n = left / unit.seconds;
    if (n == 0) {
      if (parts > 0) break;  // "1 day 5 seconds" says too much: stop at the first gap
      continue;
    }
    out += (out.empty() ? "" : " ") + Plural(n, unit.name);
    left -= n * unit.seconds;
    if (++parts == 2) break;
  }
  return out;
}

std::string RelativeTime(const nlohmann::json& iso_time, TimePoint now) {
  if (!iso_time.is_string()) return "never";
  auto t = ParseIso(iso_time.get<std::string>());
  if (!t) return "never";
  auto ago = std::chrono::duration_cast<Seconds>(now - *t).count();
  if (ago < 5) return "just now";
  if (ago < 60) return Plural(ago, "second") + " ago";
  if (ago < 3600) return Plural(ago / 60, "minute") + " ago";
  if (ago < 86400) return Plural(ago / 3600, "hour") + " ago";
  return Plural(ago / 86400, "day") + " ago";
}

std::string StatusText(const nlohmann::json& check) {
  std::string status = Str(check, "status");
  std::string text;
  if (status == "up") {
    text = "● up";
  } else if (status == "grace") {
    text = "▲ late";
  } else if (status == "down") {
    text = "✖ down";
  } else if (status == "paused") {
    text = "❚❚ paused";
  } else if (status == "new") {
    text = "○ new";
  } else {
    text = "? " + status;
  }
  if (check.value("started", false)) text += ", running";
  return text;
}

std::string ScheduleText(const nlohmann::json& check) {
  std::string grace;
  if (check.contains("grace") && check["grace"].is_number_integer()) {
    grace = ", grace " + DurationWords(Seconds(check["grace"].get<int64_t>()));
  }
  if (check.contains("timeout") && check["timeout"].is_number_integer()) {
    return "every " + DurationWords(Seconds(check["timeout"].get<int64_t>())) + grace;
  }
  std::string schedule = Str(check, "schedule");
  for (char& c : schedule) {
    if (c == '\n') c = ';';  // OnCalendar: one expression per line
  }
  return schedule + " " + Str(check, "tz") + grace;
}

std::string CheckId(const nlohmann::json& check) {
  std::string uuid = Str(check, "uuid");
  return uuid.empty() ? Str(check, "unique_key") : uuid;
}

std::string FormatTable(const std::vector<std::string>& header,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  };
  measure(header);
  for (const auto& row : rows) measure(row);
  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - DisplayWidth(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  emit(header);
  for (const auto& row : rows) emit(row);
  return out;
}

}  // namespace dogwatch::cli
