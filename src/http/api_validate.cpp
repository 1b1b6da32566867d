#include "api_validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace dogwatch::http_internal {
namespace {

constexpr int64_t kMaxTimeout = 31536000;

Unexpected Bad(std::string_view field, std::string_view what) {
  return Fail(Errc::kInvalidArgument, "json validation error: {} {}", field, what);
}

// A present field of the payload; nullopt when absent.
const Json* Field(const Json& body, const char* name) {
  auto it = body.find(name);
  return it == body.end() ? nullptr : &*it;
}

Status ReadString(const Json& body, const char* name, size_t max_len, std::optional<std::string>& out) {
  const Json* v = Field(body, name);
  if (!v) return Ok();
  if (!v->is_string()) return Bad(name, "is not a string");
  const auto& s = v->get_ref<const std::string&>();
  if (max_len && s.size() > max_len) return Bad(name, "is too long");
  out = s;
  return Ok();
}

Status ReadBool(const Json& body, const char* name, std::optional<bool>& out) {
  const Json* v = Field(body, name);
  if (!v) return Ok();
  if (!v->is_boolean()) return Bad(name, "is not a boolean");
  out = v->get<bool>();
  return Ok();
}

// Seconds between min and max. JSON booleans count as 1 and 0, as Python's do (§9 item 3).
Status ReadSeconds(const Json& body, const char* name, int64_t min, std::optional<std::chrono::seconds>& out) {
  const Json* v = Field(body, name);
  if (!v) return Ok();
  int64_t n;
  if (v->is_boolean()) n = v->get<bool>() ? 1 : 0;
  else if (v->is_number_integer()) n = v->get<int64_t>();
  else if (v->is_number_unsigned()) n = kMaxTimeout + 1;  // beyond int64: surely too large
  else return Bad(name, "is not a number");
  if (n < min) return Bad(name, "is too small");
  if (n > kMaxTimeout) return Bad(name, "is too large");
  out = std::chrono::seconds(n);
  return Ok();
}

bool SlugPattern(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// A single line of exactly five whitespace-separated fields is cron; anything else OnCalendar.
ScheduleKind KindOf(const std::string& schedule) {
  if (schedule.find('\n') != std::string::npos) return ScheduleKind::kOnCalendar;
  int fields = 0;
  bool in_field = false;
  for (char c : schedule) {
    bool space = std::isspace(static_cast<unsigned char>(c)) != 0;
    if (!space && !in_field) ++fields;
    in_field = !space;
  }
  return fields == 5 ? ScheduleKind::kCron : ScheduleKind::kOnCalendar;
}

}  // namespace

std::string Slugify(std::string_view text) {
  std::string out;
  bool dash = false;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '_') {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (c == ' ' || c == '-' || c == '\t') {
      dash = true;
    }
    // Everything else (punctuation, non-ASCII) is dropped, as Django does after NFKD.
  }
  return out;
}

Result<CheckSpec> ParseCheckSpec(const Json& body, const SpecRules& rules, const Check* existing) {
  CheckSpec spec;
  CheckPatch& p = spec.patch;
  const int64_t min_timeout = rules.min_timeout.count();
  // Healthchecks' model order: the first failing field in this order is reported.
  if (auto st = ReadString(body, "name", 100, p.name); !st) return st.error();
  if (auto st = ReadString(body, "slug", 100, p.slug); !st) return st.error();
  if (p.slug && !SlugPattern(*p.slug)) return Bad("slug", "does not match pattern");
  if (auto st = ReadString(body, "tags", 0, p.tags); !st) return st.error();
  if (auto st = ReadString(body, "desc", 0, p.desc); !st) return st.error();
  if (auto st = ReadSeconds(body, "timeout", min_timeout, p.timeout); !st) return st.error();
  if (auto st = ReadSeconds(body, "grace", min_timeout, p.grace); !st) return st.error();
  if (auto st = ReadString(body, "schedule", 100, p.schedule); !st) return st.error();
  if (auto st = ReadString(body, "tz", 0, p.tz); !st) return st.error();
  if (p.tz && !(rules.valid_tz && rules.valid_tz(*p.tz))) return Bad("tz", "is not a valid timezone");
  if (auto st = ReadBool(body, "manual_resume", p.manual_resume); !st) return st.error();
  if (auto st = ReadString(body, "methods", 0, p.methods); !st) return st.error();
  if (p.methods && *p.methods != "" && *p.methods != "POST") return Bad("methods", "has unexpected value");
  if (auto st = ReadString(body, "channels", 0, spec.channels); !st) return st.error();
  if (const Json* u = Field(body, "unique")) {
    if (!u->is_array()) return Bad("unique", "is not an array");
    for (const auto& item : *u) {
      if (!item.is_string()) return Fail(Errc::kInvalidArgument, "json validation error: an item in 'unique' is not a string");
      auto name = item.get<std::string>();
      static const std::vector<std::string> kAllowed{"name", "slug", "tags", "timeout", "grace"};
      if (std::find(kAllowed.begin(), kAllowed.end(), name) == kAllowed.end())
        return Fail(Errc::kInvalidArgument, "json validation error: an item in 'unique' has unexpected value");
      spec.unique.push_back(name);
    }
  }
  if (auto st = ReadString(body, "start_kw", 200, p.start_kw); !st) return st.error();
  if (auto st = ReadString(body, "success_kw", 200, p.success_kw); !st) return st.error();
  if (auto st = ReadString(body, "failure_kw", 200, p.failure_kw); !st) return st.error();
  if (auto st = ReadBool(body, "filter_subject", p.filter_subject); !st) return st.error();
  if (auto st = ReadBool(body, "filter_body", p.filter_body); !st) return st.error();
  if (auto st = ReadBool(body, "filter_http_body", p.filter_http_body); !st) return st.error();
  if (auto st = ReadBool(body, "filter_default_fail", p.filter_default_fail); !st) return st.error();
  std::optional<std::string> subject, subject_fail;
  if (auto st = ReadString(body, "subject", 200, subject); !st) return st.error();
  if (auto st = ReadString(body, "subject_fail", 200, subject_fail); !st) return st.error();

  // Deprecated aliases (reference §2.6).
  if (subject) p.success_kw = subject;
  if (subject_fail) p.failure_kw = subject_fail;
  if (subject || subject_fail) {
    bool any = !p.success_kw.value_or(existing ? existing->success_kw : "").empty() ||
               !p.failure_kw.value_or(existing ? existing->failure_kw : "").empty();
    p.filter_subject = any;
  }
  // The schedule wins over timeout; a timeout alone makes the check simple.
  if (p.schedule) {
    p.kind = KindOf(*p.schedule);
    p.timeout.reset();
    std::string tz = p.tz.value_or(existing ? existing->tz : "UTC");
    if (!rules.check_schedule || !rules.check_schedule(*p.kind, *p.schedule, tz))
      return Bad("schedule", "is not a valid cron or OnCalendar expression");
  } else if (p.timeout) {
    p.kind = ScheduleKind::kSimple;
  }
  // v1 and v2 derive the slug from the name (reference §2.1).
  if (rules.api_version < 3 && p.name && !p.slug) p.slug = Slugify(*p.name);
  return spec;
}

Result<std::vector<int64_t>> ResolveChannels(const std::string& spec, const std::vector<Channel>& channels) {
  std::vector<int64_t> ids;
  if (spec == "*") {
    for (const auto& c : channels) ids.push_back(c.id);
    return ids;
  }
  if (spec.empty()) return ids;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string::npos) comma = spec.size();
    std::string token = spec.substr(start, comma - start);
    start = comma + 1;
    while (!token.empty() && token.front() == ' ') token.erase(token.begin());
    while (!token.empty() && token.back() == ' ') token.pop_back();
    if (token.empty()) return Fail(Errc::kInvalidArgument, "empty channel identifier");
    std::vector<int64_t> matches;
    for (const auto& c : channels)
      if (c.uuid == token) matches.push_back(c.id);
    if (matches.empty())
      for (const auto& c : channels)
        if (c.name == token) matches.push_back(c.id);
    if (matches.empty()) return Fail(Errc::kInvalidArgument, "invalid channel identifier: {}", token);
    if (matches.size() > 1) return Fail(Errc::kInvalidArgument, "non-unique channel identifier: {}", token);
    ids.push_back(matches.front());
  }
  return ids;
}

}  // namespace dogwatch::http_internal
