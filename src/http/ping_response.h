// A ping's answer, and its bytes on the wire. AnswerFor() is the one mapping from the monitor's
// reply to status and body, used by cpp-httplib's ping handler and by the event-loop front alike.
// AppendPingResponse() writes what cpp-httplib's write_response() writes for that answer, byte
// for byte: the same status line, the same headers in the same order (its header map sorts names
// case-insensitively), gzip when asked for, no body for HEAD.
// Threading: free functions are thread-safe; a GzipCache belongs to one thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dogwatch/monitor/monitor.h"

namespace dogwatch::http_internal {

inline constexpr std::string_view kPingCacheControl =
    "max-age=0, no-cache, no-store, must-revalidate, private";
inline constexpr std::string_view kPingContentType = "text/plain; charset=utf-8";

struct PingAnswer {
  int status = 200;
  std::string body;
  bool success = false;      // adds Access-Control-Allow-Origin and Ping-Body-Limit
  bool unavailable = false;  // 503: the caller logs ping_unavailable with `error`
  std::string error;
};

// Status and body for the monitor's reply to a ping (or Classify's refusal of it).
PingAnswer AnswerFor(const Result<PingAck>& ack);

// cpp-httplib compresses text/* bodies when Accept-Encoding mentions gzip. A ping's bodies are a
// handful of short strings, so their gzip forms are kept rather than redone each time (zlib's
// set-up allocates a quarter of a megabyte).
class GzipCache {
 public:
  // The gzip bytes cpp-httplib would send for body.
  std::string_view Compress(std::string_view body);

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
  std::string scratch_;
};

// How the response is framed, as cpp-httplib decides it from the request.
struct ResponseFraming {
  bool head = false;            // HEAD: Accept-Ranges, and no body
  bool close = false;           // "Connection: close" instead of Keep-Alive
  std::string_view keep_alive;  // the Keep-Alive value, e.g. "timeout=2, max=100"
  std::string_view body_limit;  // the Ping-Body-Limit value
  std::string_view gzip_body;   // non-empty: send this with Content-Encoding: gzip
};

// Appends the whole response for answer to out.
void AppendPingResponse(std::string& out, const PingAnswer& answer, const ResponseFraming& framing);

// Appends a body-less response (414, 431): what cpp-httplib sends for those statuses.
void AppendEmptyResponse(std::string& out, int status, const ResponseFraming& framing);

}  // namespace dogwatch::http_internal
