// Which requests the event-loop front answers itself, and the RawPing it builds from their heads.
// The front serves the plain, common form of a ping (/ping/..., no Expect, no chunking, no
// Range, no compressed or multipart body; a body only by Content-Length) and hands everything
// else to cpp-httplib, so an unusual request is answered exactly as before. What it
// reads from a head (path decoding, query, header values) uses cpp-httplib's own functions, so a
// ping means the same thing on either path.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "dogwatch/http/server.h"
#include "dogwatch/ingest/ping.h"
#include "request_head.h"

namespace dogwatch::http_internal {

// The most any request may send, pings included: a ping body past ping_body_limit is read and
// dropped, up to this; cpp-httplib refuses more with 413.
inline constexpr uint64_t kHardBodyCap = uint64_t{64} << 20;

// How the front will serve a ping, decided from its head.
struct PingPlan {
  bool head_method = false;   // HEAD: no body in the response
  uint64_t body_bytes = 0;    // Content-Length to read after the head
  bool close_header = false;  // the request said "Connection: close": echo it
  bool close_after = false;   // close once answered (also HTTP/1.0 without keep-alive)
  bool gzip = false;          // Accept-Encoding mentions gzip
};

// True when the front serves this request; false to hand the connection to cpp-httplib.
bool PlanPing(const RequestHead& head, PingPlan& plan);

// The RawPing for a planned ping, as ping_routes.cpp builds it from cpp-httplib's Request.
// The body is added once read.
RawPing MakeRawPing(const RequestHead& head, const std::string& peer_addr, const HttpContext& ctx);

// The path as cpp-httplib's Request::path holds it: percent-decoded, without the query string.
std::string DecodedPath(const RequestHead& head);

}  // namespace dogwatch::http_internal
