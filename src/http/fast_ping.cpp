#include "fast_ping.h"

#include <httplib.h>

namespace dogwatch::http_internal {
namespace {

constexpr std::string_view kAbsent{};

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> options) {
  for (auto o : options)
    if (s == o) return true;
  return false;
}

// A header's value as cpp-httplib's get_header_value() returns it (it percent-decodes values),
// or "" when absent. Decodes into scratch only when there is something to decode.
std::string_view ValueOf(const RequestHead& head, std::string_view name, std::string& scratch) {
  const std::string_view* v = head.Find(name);
  if (!v) return kAbsent;
  if (v->find('%') == std::string_view::npos) return *v;
  scratch = httplib::detail::decode_url(std::string(*v), false);
  return scratch;
}

std::string StringOf(const RequestHead& head, std::string_view name) {
  std::string scratch;
  std::string_view v = ValueOf(head, name, scratch);
  return v.data() == scratch.data() ? std::move(scratch) : std::string(v);
}

// Plain decimal only; anything cpp-httplib's strtoull would read differently goes to it.
bool ParseLength(std::string_view text, uint64_t& out) {
  if (text.empty() || text.size() > 15) return false;
  out = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

std::string_view QueryOf(std::string_view target) {
  size_t q = target.find('?');
  return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

}  // namespace

bool PlanPing(const RequestHead& head, PingPlan& plan) {
  plan = PingPlan{};
  if (head.version != "HTTP/1.1" && head.version != "HTTP/1.0") return false;
  const std::string_view target = head.target;
  if (target.rfind("/ping/", 0) != 0 || target.find('#') != std::string_view::npos) return false;
  size_t q = target.find('?');
  if (q != std::string_view::npos && target.find('?', q + 1) != std::string_view::npos)
    return false;

  const bool body_method = IsOneOf(head.method, {"POST", "PUT", "PATCH", "DELETE"});
  if (!body_method && !IsOneOf(head.method, {"GET", "HEAD", "OPTIONS"})) return false;
  // Each of these makes cpp-httplib read or answer differently: leave them to it.
  for (std::string_view name : {"Expect", "Range", "Transfer-Encoding", "Content-Encoding"})
    if (head.Find(name)) return false;
  std::string scratch;
  const std::string_view* length_field = head.Find("Content-Length");
  uint64_t length = 0;
  if (length_field && !ParseLength(ValueOf(head, "Content-Length", scratch), length)) return false;
  if (body_method) {
    // Without a length there is no body (RFC 9112 §6.3), as handoff.cpp has cpp-httplib read it.
    if (length > kHardBodyCap) return false;
    if (ValueOf(head, "Content-Type", scratch).rfind("multipart/form-data", 0) == 0) return false;
  } else if (length != 0) {
    return false;  // cpp-httplib would not read that body, and would take it for the next request
  }
  plan.body_bytes = length;
  plan.head_method = head.method == "HEAD";
  plan.gzip = ValueOf(head, "Accept-Encoding", scratch).find("gzip") != std::string_view::npos;
  const std::string_view connection = ValueOf(head, "Connection", scratch);
  plan.close_header = connection == "close";
  plan.close_after =
      plan.close_header || (head.version == "HTTP/1.0" && connection != "Keep-Alive");
  return true;
}

std::string DecodedPath(const RequestHead& head) {
  std::string_view path = head.target.substr(0, head.target.find('?'));
  if (path.find('%') == std::string_view::npos) return std::string(path);
  return httplib::detail::decode_url(std::string(path), false);
}

RawPing MakeRawPing(const RequestHead& head, const std::string& peer_addr, const HttpContext& ctx) {
  RawPing raw;
  raw.method = std::string(head.method);
  raw.path = DecodedPath(head);
  if (std::string_view query = QueryOf(head.target); !query.empty()) {
    httplib::Params params;
    httplib::detail::parse_query_text(std::string(query), params);
    if (auto it = params.find("rid"); it != params.end()) raw.rid_param = it->second;
    if (auto it = params.find("create"); it != params.end()) raw.create_param = it->second;
  }
  raw.peer_addr = peer_addr;
  raw.forwarded_for = StringOf(head, "X-Forwarded-For");
  raw.forwarded_proto = StringOf(head, "X-Forwarded-Proto");
  raw.user_agent = StringOf(head, "User-Agent");
  raw.body_limit = static_cast<size_t>(ctx.config->storage.ping_body_limit);
  raw.trusted_proxies = &ctx.trusted_proxies;
  return raw;
}

}  // namespace dogwatch::http_internal
