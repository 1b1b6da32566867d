// The client side of the Pinging API, for `dogwatch run` and `dogwatch ping`: building ping URLs
// from flags, and sending one ping message with bounded retries. Thread-safe: every call uses its
// own connection and shares nothing.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dogwatch/core/result.h"

namespace dogwatch::cli {

// Where to ping, as given on the command line. Exactly one of uuid, slug and ping_url is set.
struct PingTarget {
  std::string base_url;  // --url / DOGWATCH_URL: the server, e.g. http://127.0.0.1:8000
  std::string uuid;      // --uuid
  std::string slug;      // --slug, with ping_key
  std::string ping_key;  // --ping-key / DOGWATCH_PING_KEY
  std::string ping_url;  // --ping-url: a complete ping URL
  bool create = false;   // --create: ?create=1 on slug URLs
};

// The check's ping URL without a suffix ("http://h:8000/ping/<uuid>"), or a usage error naming
// the missing or invalid flag (Errc::kInvalidArgument).
Result<std::string> ResolvePingUrl(const PingTarget& target);

// url + "/" + suffix (when not empty) + "?rid=..." (when rid is not empty) + "&create=1".
// A query already on url is kept.
std::string PingUrlFor(const std::string& url, std::string_view suffix, std::string_view rid,
                       bool create);

// True for a UUID in the canonical 8-4-4-4-12 form, in either case.
bool LooksLikeUuid(std::string_view text);

// The URL with every path segment of 16 or more characters (UUIDs, ping keys) cut to its first 8,
// for error messages: check UUIDs and ping keys are secrets.
std::string RedactUrl(std::string_view url);

struct PingMessage {
  std::string url;                            // http(s)://host[:port]/path[?query]
  std::string body;                           // sent as the POST body (may be empty)
  std::chrono::milliseconds timeout{10'000};  // for all tries together
};

struct PingOutcome {
  bool ok = false;  // the server answered 2xx
  int status = 0;   // the last HTTP status; 0 when there was no answer
  int tries = 0;
  std::string error;                 // one line for people when !ok, without a prefix
  std::optional<size_t> body_limit;  // the server's Ping-Body-Limit header, when it sent one
};

// POSTs msg.body to msg.url. Retries network errors, 5xx and 429 after 0.5 s, 1 s, 2 s, 4 s...
// while msg.timeout allows; other 4xx answers are final. Each try waits at most 3 s to connect.
// Blocking.
PingOutcome SendPing(const PingMessage& msg);

// One SendPing on a background thread. Wait() returns its outcome, or a failure if it has not
// finished by the deadline (a DNS lookup cannot be interrupted); the thread is then left behind,
// and the process should leave with std::_Exit so that no exit handler runs beside it.
class PingInFlight {
 public:
  explicit PingInFlight(PingMessage msg);
  PingOutcome Wait();
  bool abandoned() const { return abandoned_; }

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
  std::chrono::steady_clock::time_point deadline_;
  std::string display_url_;
  bool abandoned_ = false;
};

}  // namespace dogwatch::cli
