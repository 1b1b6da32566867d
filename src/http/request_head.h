// A small HTTP/1.1 request-head parser for the event-loop front (front.h). It recognises the
// strict, common form of a request head and reports anything else as kUnusual, so the caller can
// hand the connection to cpp-httplib, which then answers it exactly as it always has. Header
// fields are trimmed and looked up the way cpp-httplib does (first occurrence, names compared
// case-insensitively, empty values dropped), so both paths see the same request.
// Pure functions on caller-owned memory; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dogwatch::http_internal {

// cpp-httplib answers 414 past 8 KiB of request line (CRLF included); the front also caps the
// header fields at 8 KiB in all (431), so a head it buffers is at most 16 KiB.
inline constexpr size_t kMaxRequestLineBytes = 8192;
inline constexpr size_t kMaxHeaderBytes = 8192;

struct HeaderField {
  std::string_view name;
  std::string_view value;  // without surrounding spaces and tabs; never empty
};

// Views into the buffer that was parsed: valid while it is unchanged.
struct RequestHead {
  std::string_view method;
  std::string_view target;
  std::string_view version;
  std::vector<HeaderField> fields;  // in arrival order; reused between requests
  size_t size = 0;                  // bytes of the head, the blank line included

  // The first field called `name` (case-insensitive), or nullptr.
  const std::string_view* Find(std::string_view name) const;
};

enum class HeadStatus {
  kIncomplete,       // no blank line yet: read more
  kComplete,         // `head` is filled in
  kUnusual,          // valid or not, not the strict form: let cpp-httplib have it
  kUriTooLong,       // 414
  kHeadersTooLarge,  // 431
};

// Parses the head at the start of buf. `scanned` carries progress between calls on the same
// head (start it at 0): bytes before it are not looked at again, so a head that arrives in many
// small pieces costs linear time. The strict form is: METHOD SP TARGET SP VERSION CRLF, then
// fields, each ending in CRLF, then CRLF; no tabs or NULs in the request line.
HeadStatus ParseRequestHead(std::string_view buf, size_t& scanned, RequestHead& head);

// ASCII case-insensitive equality, as cpp-httplib compares header names.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace dogwatch::http_internal
