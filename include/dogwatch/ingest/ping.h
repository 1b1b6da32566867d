// Ingest: turns a raw HTTP ping into a PingEvent (reference §1): which check (UUID, or ping key
// plus slug), what it says (success, start, fail, log, exit status), run id, attribution
// (remote address, scheme, user agent) and the body cut to the limit. Also the check's method and
// keyword filters (§1.5), which need the check and so run on the monitor thread.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dogwatch/core/net.h"
#include "dogwatch/core/result.h"
#include "dogwatch/model/types.h"

namespace dogwatch {

// What the HTTP layer hands over. The body is at most body_limit bytes already (the HTTP layer
// stops keeping bytes there) but Classify cuts again, so the limit has one owner.
struct RawPing {
  std::string method;
  std::string path;  // without the query string
  std::optional<std::string> rid_param;     // ?rid=
  std::optional<std::string> create_param;  // ?create=
  std::string peer_addr;                    // the TCP peer
  std::string forwarded_for;                // X-Forwarded-For
  std::string forwarded_proto;              // X-Forwarded-Proto
  std::string user_agent;
  std::string body;
  bool tls = false;
  size_t body_limit = 10000;
  const std::vector<Cidr>* trusted_proxies = nullptr;
};

// The client's address: X-Forwarded-For's first entry when the peer is a trusted proxy, else the
// peer. Also what login limiting counts by.
std::string RemoteAddr(const RawPing& raw);

struct PingEvent {
  // Exactly one of uuid, or ping_key + slug, is set.
  std::string uuid;
  std::string ping_key;
  std::string slug;
  bool create = false;  // ?create=1 on a slug URL

  PingKind kind = PingKind::kSuccess;  // from the URL; filters may change it
  std::optional<int> exit_status;      // /ping/<uuid>/<n>; may be > 255 (answered 400 after lookup)
  std::optional<std::string> rid;      // lowercase canonical UUID
  // ?rid= was given but is not a UUID. Answered 400 "invalid uuid format" after the lookup, as
  // Healthchecks does: an unknown check is 404 first, and ?create=1 has already created it.
  bool bad_rid = false;

  std::string method;
  std::string scheme;
  std::string remote_addr;
  std::string ua;
  std::string body;
  TimePoint received;  // set by the monitor when it applies the ping
};

// Errors: kNotFound "not found" (no such route: 404), kInvalidArgument "invalid url format"
// (400, an upper-case slug). The message is the response body.
Result<PingEvent> Classify(const RawPing& raw);

// A check's filters as Healthchecks names them.
struct PingFilters {
  std::string methods;  // "" or "POST"
  bool filter_http_body = false;
  bool filter_default_fail = false;
  std::string start_kw, success_kw, failure_kw;  // comma-separated keywords
};

// The kind the ping counts as for this check (reference §1.5 and §9 items 9-10): exit status
// first, then the method filter, then keywords in the body (failure, success, start), which
// override the URL's suffix.
PingKind ApplyFilters(const PingFilters& filters, const PingEvent& event);

// True when the comma-separated list holds a non-empty keyword that occurs in text.
bool MatchKeywords(std::string_view text, std::string_view keywords);

// Cuts text to at most max_chars UTF-8 characters without splitting one.
std::string TruncateUtf8(std::string_view text, size_t max_chars);

}  // namespace dogwatch
