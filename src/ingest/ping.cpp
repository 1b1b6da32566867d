#include "dogwatch/ingest/ping.h"

#include <charconv>

#include "dogwatch/core/ids.h"

namespace dogwatch {
namespace {

constexpr size_t kMaxUserAgent = 200;

std::vector<std::string_view> SplitPath(std::string_view path, bool& trailing_slash) {
  std::vector<std::string_view> parts;
  trailing_slash = !path.empty() && path.back() == '/';
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

// Django's slug converter: [-a-zA-Z0-9_]+
bool IsSlugToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return false;
  return true;
}

bool HasUpper(std::string_view s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return true;
  return false;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Applies a suffix (start, fail, log or an exit status). False when it is none of those.
bool ApplySuffix(std::string_view suffix, PingEvent& e) {
  if (suffix == "start") e.kind = PingKind::kStart;
  else if (suffix == "fail") e.kind = PingKind::kFail;
  else if (suffix == "log") e.kind = PingKind::kLog;
  else if (AllDigits(suffix)) {
    // Leading zeros are fine (/007 is 7); anything over 255 is kept as 256 and refused after
    // the lookup, as Healthchecks does (an unknown check answers 404 first).
    int value = 0;
    for (char c : suffix) {
      value = value * 10 + (c - '0');
      if (value > 255) {
        value = 256;
        break;
      }
    }
    e.exit_status = value;
    e.kind = value == 0 ? PingKind::kSuccess : PingKind::kFail;
  } else {
    return false;
  }
  return true;
}

std::string Scheme(const RawPing& raw) {
  bool trusted = false;
  if (raw.trusted_proxies)
    for (const auto& net : *raw.trusted_proxies)
      if (CidrContains(net, raw.peer_addr)) trusted = true;
  if (trusted && (raw.forwarded_proto == "http" || raw.forwarded_proto == "https"))
    return raw.forwarded_proto;
  return raw.tls ? "https" : "http";
}

}  // namespace

std::string RemoteAddr(const RawPing& raw) {
  bool trusted = false;
  if (raw.trusted_proxies)
    for (const auto& net : *raw.trusted_proxies)
      if (CidrContains(net, raw.peer_addr)) trusted = true;
  if (!trusted || raw.forwarded_for.empty()) return raw.peer_addr;
  std::string_view first(raw.forwarded_for);
  first = first.substr(0, first.find(','));
  while (!first.empty() && first.front() == ' ') first.remove_prefix(1);
  while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
  // "a.b.c.d:port" (Azure App Service) loses its port.
  auto colon = first.find(':');
  if (colon != std::string_view::npos && first.find(':', colon + 1) == std::string_view::npos &&
      first.find('.') != std::string_view::npos)
    first = first.substr(0, colon);
  if (first.empty()) return raw.peer_addr;
  return std::string(first);
}

std::string TruncateUtf8(std::string_view text, size_t max_chars) {
  size_t chars = 0, i = 0;
  while (i < text.size()) {
    if (chars == max_chars) return std::string(text.substr(0, i));
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    i += len;
    ++chars;
  }
  return std::string(text);
}

Result<PingEvent> Classify(const RawPing& raw) {
  bool trailing = false;
  auto parts = SplitPath(raw.path, trailing);
  if (parts.size() < 2 || parts[0] != "ping" || raw.path.find("//") != std::string::npos)
    return Fail(Errc::kNotFound, "not found");

  PingEvent e;
  std::string_view first = parts[1];
  bool uuid_route = false;
  if (IsCanonicalUuid(first)) {
    if (parts.size() == 2) {
      uuid_route = true;  // /ping/<uuid> and /ping/<uuid>/
    } else if (parts.size() == 3 && !trailing && ApplySuffix(parts[2], e)) {
      uuid_route = true;
    }
  }
  if (uuid_route) {
    e.uuid = std::string(first);
  } else {
    // /ping/<ping-key>/<slug>[/suffix]; /ping/<uuid>/foo lands here too, as in Healthchecks.
    if (parts.size() < 3 || parts.size() > 4 || trailing || !IsSlugToken(first) ||
        !IsSlugToken(parts[2]))
      return Fail(Errc::kNotFound, "not found");
    if (parts.size() == 4 && !ApplySuffix(parts[3], e)) return Fail(Errc::kNotFound, "not found");
    if (HasUpper(parts[2])) return Fail(Errc::kInvalidArgument, "invalid url format");
    e.ping_key = std::string(first);
    e.slug = std::string(parts[2]);
    e.create = raw.create_param && *raw.create_param == "1";
  }

  if (raw.rid_param) {
    std::string rid = *raw.rid_param;
    for (char& c : rid)
      if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (IsCanonicalUuid(rid)) {
      e.rid = rid;
    } else {
      e.bad_rid = true;
    }
  }

  e.method = raw.method;
  e.scheme = Scheme(raw);
  e.remote_addr = RemoteAddr(raw);
  e.ua = TruncateUtf8(raw.user_agent, kMaxUserAgent);
  e.body = raw.body.size() > raw.body_limit ? raw.body.substr(0, raw.body_limit) : raw.body;
  return e;
}

bool MatchKeywords(std::string_view text, std::string_view keywords) {
  size_t start = 0;
  while (start <= keywords.size()) {
    size_t comma = keywords.find(',', start);
    if (comma == std::string_view::npos) comma = keywords.size();
    auto kw = keywords.substr(start, comma - start);
    while (!kw.empty() && (kw.front() == ' ' || kw.front() == '\t')) kw.remove_prefix(1);
    while (!kw.empty() && (kw.back() == ' ' || kw.back() == '\t')) kw.remove_suffix(1);
    if (!kw.empty() && text.find(kw) != std::string_view::npos) return true;
    start = comma + 1;
  }
  return false;
}

PingKind ApplyFilters(const PingFilters& f, const PingEvent& e) {
  PingKind kind = e.kind;
  if (e.exit_status && *e.exit_status > 0) kind = PingKind::kFail;
  if (f.methods == "POST" && e.method != "POST") return PingKind::kIgnored;
  if (!f.filter_http_body) return kind;
  // Healthchecks decodes the body as UTF-8 and answers 500 when it is not; matching the bytes
  // gives the same result for valid UTF-8 and a sensible one otherwise.
  if (MatchKeywords(e.body, f.failure_kw)) return PingKind::kFail;
  if (MatchKeywords(e.body, f.success_kw)) return PingKind::kSuccess;
  if (MatchKeywords(e.body, f.start_kw)) return PingKind::kStart;
  return f.filter_default_fail ? PingKind::kFail : PingKind::kIgnored;
}

}  // namespace dogwatch
