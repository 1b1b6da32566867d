#include "metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "api_json.h"

namespace dogwatch::http_internal {

std::string EscapeLabel(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

namespace {

std::vector<std::string> SplitTags(const std::string& tags) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < tags.size()) {
    size_t j = tags.find(' ', i);
    if (j == std::string::npos) j = tags.size();
    if (j > i) out.push_back(tags.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

void PerCheck(std::string& out, const char* name, const char* help, const std::vector<CheckMetrics>& checks,
              bool (*value)(const CheckMetrics&)) {
  out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
  for (const auto& c : checks)
    out += fmt::format("{}{{name=\"{}\", tags=\"{}\", unique_key=\"{}\"}} {}\n", name, EscapeLabel(c.name),
                       EscapeLabel(c.tags), EscapeLabel(c.unique_key), value(c) ? 1 : 0);
  out += "\n";
}

}  // namespace

std::string ProjectMetrics(const std::vector<CheckMetrics>& checks) {
  std::string out;
  PerCheck(out, "hc_check_up", "Whether the check is currently up (1 for yes, 0 for no).", checks,
           [](const CheckMetrics& c) { return c.status != CheckStatus::kDown; });
  PerCheck(out, "hc_check_started", "Whether the check is currently started (1 for yes, 0 for no).", checks,
           [](const CheckMetrics& c) { return c.started; });
  PerCheck(out, "hc_check_grace", "Whether the check is currently in the grace period (1 for yes, 0 for no).",
           checks, [](const CheckMetrics& c) { return c.status == CheckStatus::kGrace; });
  PerCheck(out, "hc_check_paused", "Whether the check is currently paused (1 for yes, 0 for no).", checks,
           [](const CheckMetrics& c) { return c.status == CheckStatus::kPaused; });

  // Healthchecks sorts tags case-insensitively; ties keep a stable, case-sensitive order.
  std::map<std::string, bool> tag_up;
  int down = 0;
  for (const auto& c : checks) {
    const bool is_down = c.status == CheckStatus::kDown;
    if (is_down) ++down;
    for (const auto& t : SplitTags(c.tags)) {
      auto [it, inserted] = tag_up.emplace(t, !is_down);
      if (!inserted && is_down) it->second = false;
    }
  }
  std::vector<std::pair<std::string, bool>> tags(tag_up.begin(), tag_up.end());
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
  };
  std::stable_sort(tags.begin(), tags.end(), [&](const auto& a, const auto& b) { return lower(a.first) < lower(b.first); });
  out += "# HELP hc_tag_up Whether all checks with this tag are up (1 for yes, 0 for no).\n";
  out += "# TYPE hc_tag_up gauge\n";
  for (const auto& [tag, up] : tags) out += fmt::format("hc_tag_up{{tag=\"{}\"}} {}\n", EscapeLabel(tag), up ? 1 : 0);
  out += "\n";
  out += "# HELP hc_checks_total The total number of checks.\n# TYPE hc_checks_total gauge\n";
  out += fmt::format("hc_checks_total {}\n\n", checks.size());
  out += "# HELP hc_checks_down_total The number of checks currently down.\n# TYPE hc_checks_down_total gauge\n";
  out += fmt::format("hc_checks_down_total {}\n", down);
  return out;
}

void AppendBlock(std::string& out, std::string_view name, std::string_view type, std::string_view help,
                 const std::vector<Sample>& samples) {
  if (!out.empty()) out += "\n";
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  for (const auto& s : samples) {
    if (s.labels.empty()) out += fmt::format("{} {}\n", name, s.value);
    else out += fmt::format("{}{{{}}} {}\n", name, s.labels, s.value);
  }
}

void AppendHistogramBlock(std::string& out, std::string_view name, std::string_view help,
                          const std::vector<double>& bounds, const std::vector<uint64_t>& buckets, double sum) {
  if (!out.empty()) out += "\n";
  out += fmt::format("# HELP {} {}\n# TYPE {} histogram\n", name, help, name);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < buckets.size(); ++i) {
    cumulative += buckets[i];
    std::string le = i < bounds.size() ? fmt::format("{}", bounds[i]) : "+Inf";
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, le, cumulative);
  }
  out += fmt::format("{}_sum {}\n{}_count {}\n", name, sum, name, cumulative);
}

}  // namespace dogwatch::http_internal
