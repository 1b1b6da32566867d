#include "fields.h"

#include <fmt/format.h>

#include <charconv>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

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

// An absolute http:// or https:// URL with a host and no spaces or control characters.
Status CheckHttpUrl(const std::string& u) {
  bool http = u.rfind("http://", 0) == 0, https = u.rfind("https://", 0) == 0;
  size_t host_at = http ? 7 : 8;
  if ((!http && !https) || u.size() <= host_at || u[host_at] == '/')
    return Fail(Errc::kInvalidArgument, "'{}' is not an http:// or https:// URL", u);
  for (unsigned char ch : u)
    if (ch <= ' ' || ch == 0x7f) return Fail(Errc::kInvalidArgument, "'{}' contains spaces or control characters", u);
  return Ok();
}

// A secret kept in its own file (mode 0600, outside the config): the whole file, less the
// trailing newline an editor or `echo` adds.
Result<std::string> ReadSecretFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Errc::kInvalidArgument, "cannot read '{}': {}", path, std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.empty()) return Fail(Errc::kInvalidArgument, "'{}' is empty", path);
  return text;
}

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
       if (auto st = CheckHttpUrl(u); !st) return st;
       size_t host_at = u.rfind("http://", 0) == 0 ? 7 : 8;
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
    {"server", "metrics_token", Type::kString,
     [](Config& c, const Value& v) -> Status {
       for (unsigned char ch : v.str)
         if (ch <= ' ' || ch == 0x7f)
           return Fail(Errc::kInvalidArgument, "must not contain spaces or control characters");
       c.server.metrics_token = v.str;
       return Ok();
     },
     // Never printed, like smtp.password.
     [](const Config& c) { return Quoted(c.server.metrics_token.empty() ? "" : "(set)"); }},
    // [server.tls]: the files are read by the server (and `config check`), which names the key.
    {"server.tls", "cert_file", Type::kString,
     [](Config& c, const Value& v) -> Status {
       c.server.tls.cert_file = v.str;
       return Ok();
     },
     [](const Config& c) { return Quoted(c.server.tls.cert_file); }},
    {"server.tls", "key_file", Type::kString,
     [](Config& c, const Value& v) -> Status {
       c.server.tls.key_file = v.str;
       return Ok();
     },
     [](const Config& c) { return Quoted(c.server.tls.key_file); }},
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
    {"alerts", "workers", Type::kInt,
     [](Config& c, const Value& v) { return SetInt(v, 1, 64, c.alerts.workers); },
     [](const Config& c) { return std::to_string(c.alerts.workers); }},
    {"alerts", "shell_enabled", Type::kBool,
     [](Config& c, const Value& v) -> Status {
       c.alerts.shell_enabled = v.flag;
       return Ok();
     },
     [](const Config& c) { return std::string(c.alerts.shell_enabled ? "true" : "false"); }},
    {"alerts", "retry_initial", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), seconds(3600), c.alerts.retry_initial); },
     [](const Config& c) { return ShowDuration(c.alerts.retry_initial); }},
    {"alerts", "retry_max", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), kOneDay, c.alerts.retry_max); },
     [](const Config& c) { return ShowDuration(c.alerts.retry_max); }},
    {"alerts", "give_up_after", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), 7 * kOneDay, c.alerts.give_up_after); },
     [](const Config& c) { return ShowDuration(c.alerts.give_up_after); }},
    {"alerts", "connect_timeout", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), seconds(300), c.alerts.connect_timeout); },
     [](const Config& c) { return ShowDuration(c.alerts.connect_timeout); }},
    {"alerts", "send_timeout", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), seconds(600), c.alerts.send_timeout); },
     [](const Config& c) { return ShowDuration(c.alerts.send_timeout); }},
    {"smtp", "host", Type::kString,
     [](Config& c, const Value& v) -> Status {
       for (unsigned char ch : v.str)
         if (ch <= ' ' || ch == 0x7f) return Fail(Errc::kInvalidArgument, "'{}' is not a host name", v.str);
       c.smtp.host = v.str;
       return Ok();
     },
     [](const Config& c) { return Quoted(c.smtp.host); }},
    {"smtp", "port", Type::kInt,
     [](Config& c, const Value& v) { return SetInt(v, 1, 65535, c.smtp.port); },
     [](const Config& c) { return std::to_string(c.smtp.port); }},
    {"smtp", "security", Type::kString,
     [](Config& c, const Value& v) -> Status {
       if (v.str == "starttls") c.smtp.security = SmtpTransport::kStartTls;
       else if (v.str == "tls") c.smtp.security = SmtpTransport::kTls;
       else if (v.str == "none") c.smtp.security = SmtpTransport::kPlain;
       else return Fail(Errc::kInvalidArgument, "'{}' is not one of starttls, tls, none", v.str);
       return Ok();
     },
     [](const Config& c) {
       switch (c.smtp.security) {
         case SmtpTransport::kTls: return Quoted("tls");
         case SmtpTransport::kPlain: return Quoted("none");
         case SmtpTransport::kStartTls: break;
       }
       return Quoted("starttls");
     }},
    {"smtp", "username", Type::kString,
     [](Config& c, const Value& v) -> Status {
       c.smtp.username = v.str;
       return Ok();
     },
     [](const Config& c) { return Quoted(c.smtp.username); }},
    {"smtp", "password", Type::kString,
     [](Config& c, const Value& v) -> Status {
       c.smtp.password = v.str;
       return Ok();
     },
     // Never printed: `config check` output ends up in terminals, tickets and logs.
     [](const Config& c) { return Quoted(c.smtp.password.empty() ? "" : "(set)"); }},
    {"smtp", "password_file", Type::kString,
     [](Config& c, const Value& v) -> Status {
       c.smtp.password_file = v.str;
       if (v.str.empty()) return Ok();
       auto secret = ReadSecretFile(v.str);
       if (!secret) return secret.error();
       c.smtp.password = *secret;
       return Ok();
     },
     [](const Config& c) { return Quoted(c.smtp.password_file); }},
    {"smtp", "from", Type::kString,
     [](Config& c, const Value& v) -> Status {
       if (v.str.find('@') == std::string::npos || v.str.find_first_of("\r\n") != std::string::npos)
         return Fail(Errc::kInvalidArgument, "'{}' is not an email address", v.str);
       c.smtp.from = v.str;
       return Ok();
     },
     [](const Config& c) { return Quoted(c.smtp.from); }},
    {"smtp", "ca_file", Type::kString,
     [](Config& c, const Value& v) -> Status {
       c.smtp.ca_file = v.str;
       return Ok();
     },
     [](const Config& c) { return Quoted(c.smtp.ca_file); }},
    {"smtp", "timeout", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), seconds(600), c.smtp.timeout); },
     [](const Config& c) { return ShowDuration(c.smtp.timeout); }},
    {"ui", "session_lifetime", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(300), 365 * kOneDay, c.ui.session_lifetime); },
     [](const Config& c) { return ShowDuration(c.ui.session_lifetime); }},
    {"heartbeat", "url", Type::kString,
     [](Config& c, const Value& v) -> Status {
       if (!v.str.empty())
         if (auto st = CheckHttpUrl(v.str); !st) return st;
       c.heartbeat.url = v.str;
       return Ok();
     },
     [](const Config& c) { return Quoted(c.heartbeat.url); }},
    {"heartbeat", "interval", Type::kDuration,
     [](Config& c, const Value& v) { return SetDuration(v, seconds(1), seconds(3600), c.heartbeat.interval); },
     [](const Config& c) { return ShowDuration(c.heartbeat.interval); }},
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
    for (const char* c = p; *c; ++c)  // server.tls → SERVER_TLS
      out += *c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(*c)));
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
