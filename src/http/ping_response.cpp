#include "ping_response.h"

#include <httplib.h>

#include <algorithm>
#include <array>
#include <charconv>

namespace dogwatch::http_internal {
namespace {

// Distinct bodies are few (OK, Created and the error messages); past this, compress uncached.
constexpr size_t kMaxGzipEntries = 32;

int StatusFor(Errc code) {
  switch (code) {
    case Errc::kNotFound:
      return 404;
    case Errc::kInvalidArgument:
      return 400;
    case Errc::kConflict:
      return 409;
    case Errc::kUnavailable:
      return 503;
    case Errc::kAlreadyExists:
    case Errc::kUnauthenticated:
    case Errc::kPermissionDenied:
    case Errc::kTooLarge:
    case Errc::kRateLimited:
    case Errc::kInternal:
      return 503;
  }
  return 503;
}

struct Field {
  std::string_view name;
  std::string_view value;
};

// cpp-httplib keeps response headers in a multimap ordered by detail::ci (tolower, then
// lexicographic) and writes them in that order.
bool CiLess(std::string_view a, std::string_view b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return ::tolower(static_cast<unsigned char>(x)) < ::tolower(static_cast<unsigned char>(y));
  });
}

void AppendHead(std::string& out, int status, Field* fields, size_t n) {
  std::sort(fields, fields + n,
            [](const Field& a, const Field& b) { return CiLess(a.name, b.name); });
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += httplib::detail::status_message(status);
  out += "\r\n";
  for (size_t i = 0; i < n; ++i) {
    out += fields[i].name;
    out += ": ";
    out += fields[i].value;
    out += "\r\n";
  }
  out += "\r\n";
}

Field ConnectionField(const ResponseFraming& framing) {
  return framing.close ? Field{"Connection", "close"} : Field{"Keep-Alive", framing.keep_alive};
}

}  // namespace

PingAnswer AnswerFor(const Result<PingAck>& ack) {
  PingAnswer a;
  if (ack) {
    a.success = true;
    a.status = ack->created ? 201 : 200;
    a.body = ack->created ? "Created" : "OK";
    return a;
  }
  const Error& e = ack.error();
  a.status = StatusFor(e.code);
  if (e.code == Errc::kUnavailable) {
    a.unavailable = true;
    a.error = e.message;
    a.body = "service unavailable";
  } else {
    a.body = e.message;
  }
  return a;
}

std::string_view GzipCache::Compress(std::string_view body) {
  for (const auto& [plain, packed] : entries_)
    if (plain == body) return packed;
  std::string packed;
  httplib::detail::gzip_compressor gz;
  gz.compress(body.data(), body.size(), true, [&](const char* data, size_t len) {
    packed.append(data, len);
    return true;
  });
  if (entries_.size() >= kMaxGzipEntries) {
    scratch_ = std::move(packed);
    return scratch_;
  }
  entries_.emplace_back(std::string(body), std::move(packed));
  return entries_.back().second;
}

void AppendPingResponse(std::string& out, const PingAnswer& answer,
                        const ResponseFraming& framing) {
  std::string_view payload = answer.body;
  const bool gzip = !framing.gzip_body.empty() && !answer.body.empty();
  if (gzip) payload = framing.gzip_body;
  std::array<char, 24> length_text;
  auto [end, ec] =
      std::to_chars(length_text.data(), length_text.data() + length_text.size(), payload.size());
  std::array<Field, 9> fields;
  size_t n = 0;
  fields[n++] = {"Cache-Control", kPingCacheControl};
  if (answer.success) {
    fields[n++] = {"Access-Control-Allow-Origin", "*"};
    fields[n++] = {"Ping-Body-Limit", framing.body_limit};
  }
  fields[n++] = ConnectionField(framing);
  fields[n++] = {"Content-Type", kPingContentType};
  fields[n++] = {"Content-Length", std::string_view(length_text.data(), end - length_text.data())};
  if (gzip) fields[n++] = {"Content-Encoding", "gzip"};
  if (framing.head) fields[n++] = {"Accept-Ranges", "bytes"};
  AppendHead(out, answer.status, fields.data(), n);
  if (!framing.head) out += payload;
}

void AppendEmptyResponse(std::string& out, int status, const ResponseFraming& framing) {
  std::array<Field, 2> fields{ConnectionField(framing), Field{"Content-Length", "0"}};
  AppendHead(out, status, fields.data(), fields.size());
}

}  // namespace dogwatch::http_internal
