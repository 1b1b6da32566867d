#include "fields.h"

#include <fmt/format.h>

#include <charconv>
#include <cctype>

#include "dogwatch/core/duration.h"

namespace dogwatch::config_internal {
namespace {

Status IntInRange(int64_t v, int64_t lo, int64_t hi, int64_t& out_ok) {
  if (v < lo || v > hi) return Fail(Errc::kInvalidArgument, "{} is out of range {}-{}", v, lo, hi);
  out_ok = v;
  return Ok();
}

template <typename T>
Status SetInt(const Value& v, int64_t lo, int64_t hi, T& out) {
  int64_t ok = 0;
  if (auto st = IntInRange(v.num, lo, hi, ok); !st) return st;
  out = static_cast<T>(ok);
  return Ok();
}

Status SetDuration(const Value& v, std::chrono::seconds lo, std::chrono::seconds hi,
                   std::chrono::seconds& out) {
  auto d = ParseDuration(v.str);
  if (!d) return d.error();
  if (*d < lo || *d > hi) {
    return Fail(Errc::kInvalidArgument, "{} is out of range {}-{}", v.str, FormatDuration(lo),
                FormatDuration(hi));
  }
  out = *d;
  return Ok();
}

std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string ShowDuration(std::chrono::seconds d) { return Quoted(FormatDuration(d)); }

using std::chrono::seconds;
constexpr seconds kOneDay{86400};

const Field kFields[] = {
    {"server", "listen", Type::kString,
     [](Config& c, const Value& v) -> Status {
       auto hp = ParseHostPort(v.str);
       if (!hp) return hp.error();
       c.server.listen = *hp;
       return Ok();
     },
     [](const Config& c) { return Quoted(FormatHostPort(c.server.listen)); }},
    {"server", "base_url", Type::kString,
     [](Config& c, const Value& v) -> Status {
       const std::string& u = v.str;
       bool http = u.rfind("http://", 0) == 0, https = u.rfind("https://", 0) == 0;
       size_t host_at = http ? 7 : 8;
       if ((!http && !https) || u.size() <= host_at || u[host_at] == '/')
         return Fail(Errc::kInvalidArgument, "'{}' is not an http:// or https:// URL", u);
       for (unsigned char ch : u)
         if (ch <= ' ' || ch == 0x7f)
           return Fail(Errc::kInvalidArgument, "'{}' contains spaces or control characters", u);
       c.server.base_url = u;
       while (c.server.base_url.size() > host_at + 1 && c.server.base_url.back() == '/')
         c.server.base_url.pop_back();
       return Ok();
     },
     [](const Config& c) { return Quoted(c.server.base_url); }},
    {"server", "threads", Type::kInt,
     [](Config& c, const Value& v) { return SetInt(v, 1, 1024, c.server.threads); },
     [](const Config& c) { return std::to_string(c.server.threads); }},
    {"server", "trusted_proxies", Type::kStringList,
     [](Config& c, const Value& v) -> Status {
       for (const auto& s : v.list)
         if (auto net = ParseCidr(s); !net) return net.error();
       c.server.trusted_proxies = v.list;
       return Ok();
     },
     [](const Config& c) {
       std::string out = "[";
       for (size_t i = 0; i < c.server.trusted_proxies.size(); ++i)
         out += (i ? ", " : "") + Quoted(c.server.trusted_proxies[i]);
       return out + "]";
     }},
    {"server", "read_timeout", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), seconds(3600), c.server.read_timeout); },
     [](const Config& c) { return ShowDuration(c.server.read_timeout); }},
    {"server", "write_timeout", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), seconds(3600), c.server.write_timeout); },
     [](const Config& c) { return ShowDuration(c.server.write_timeout); }},
    {"server", "keep_alive_timeout", Type::kDuration,
     [](Config& c, const Value& v) {
       return SetDuration(v, seconds(1), seconds(3600), c.server.keep_alive_timeout);
     },
     [](const Config& c) { return ShowDuration(c.server.keep_alive_timeout); }},
    {"server", "keep_alive_max_requests", Type::kInt,
     [](Config& c, const Value& v) { return SetInt(v, 1, 1000000, c.server.keep_alive_max_requests); },
     [](const Config& c) { return std::to_string(c.server.keep_alive_max_requests); }},
    {"server", "max_request_body", Type::kInt,
     [](Config& c, const Value& v) { return SetInt(v, 1024, int64_t{1} << 30, c.server.max_request_body); },
     [](const Config& c) { return std::to_string(c.server.max_request_body); }},
    {"storage", "data_dir", Type::kString,
     [](Config& c, const Value& v) -> Status {
       if (v.str.empty()) return Fail(Errc::kInvalidArgument, "must not be empty");
       if (v.str.find('\0') != std::string::npos)
         return Fail(Errc::kInvalidArgument, "must not contain a NUL byte");
       c.storage.data_dir = v.str;
       return Ok();
     },
     [](const Config& c) { return Quoted(c.storage.data_dir); }},
    {"storage", "durability", Type::kString,
     [](Config& c, const Value& v) -> Status {
       if (v.str == "normal") c.storage.durability = Durability::kNormal;
       else if (v.str == "full") c.storage.durability = Durability::kFull;
       else return Fail(Errc::kInvalidArgument, "'{}' is not one of normal, full", v.str);
       return Ok();
     },
     [](const Config& c) {
       return Quoted(c.storage.durability == Durability::kFull ? "full" : "normal");
     }},
    {"storage", "ping_retention", Type::kInt,
     [](Config& c, const Value& v) { return SetInt(v, 1, 100000, c.storage.ping_retention); },
     [](const Config& c) { return std::to_string(c.storage.ping_retention); }},
    {"storage", "ping_body_limit", Type::kInt,
     [](Config& c, const Value& v) { return SetInt(v, 1, 1 << 20, c.storage.ping_body_limit); },
     [](const Config& c) { return std::to_string(c.storage.ping_body_limit); }},
    {"checks", "min_timeout", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), kOneDay, c.checks.min_timeout); },
     [](const Config& c) { return ShowDuration(c.checks.min_timeout); }},
    {"log", "level", Type::kString,
     [](Config& c, const Value& v) -> Status {
       auto level = log::ParseLevel(v.str);
       if (!level) return level.error();
       c.log.level = *level;
       return Ok();
     },
     [](const Config& c) { return Quoted(log::LevelName(c.log.level)); }},
    {"log", "access_log", Type::kBool,
     [](Config& c, const Value& v) -> Status {
       c.log.access_log = v.flag;
       return Ok();
     },
     [](const Config& c) { return std::string(c.log.access_log ? "true" : "false"); }},
};

}  // namespace

const char* TypeName(Type t) {
  switch (t) {
    case Type::kString: return "a string";
    case Type::kInt: return "an integer";
    case Type::kBool: return "true or false";
    case Type::kDuration: return "a duration string like \"90s\", \"15m\" or \"1h30m\"";
    case Type::kStringList: return "an array of strings";
  }
  return "?";
}

std::span<const Field> Fields() { return kFields; }

std::string EnvName(const Field& f) {
  std::string out = "DOGWATCH_";
  for (const char* p : {f.section, "_", f.key})
    for (const char* c = p; *c; ++c) out += static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
  return out;
}

Result<Value> ValueFromText(const Field& f, std::string_view text) {
  Value v;
  switch (f.type) {
    case Type::kString:
    case Type::kDuration:
      v.str = std::string(text);
      return v;
    case Type::kInt: {
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v.num);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return Fail(Errc::kInvalidArgument, "expected an integer, got '{}'", text);
      return v;
    }
    case Type::kBool:
      if (text == "true" || text == "1" || text == "yes" || text == "on") v.flag = true;
      else if (text == "false" || text == "0" || text == "no" || text == "off") v.flag = false;
      else return Fail(Errc::kInvalidArgument, "expected true or false, got '{}'", text);
      return v;
    case Type::kStringList: {
      // Comma-separated; an empty string is an empty list.
      size_t start = 0;
      while (start < text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string_view::npos) comma = text.size();
        auto item = text.substr(start, comma - start);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) v.list.emplace_back(item);
        start = comma + 1;
      }
      return v;
    }
  }
  return Fail(Errc::kInternal, "unknown field type");
}

}  // namespace dogwatch::config_internal
