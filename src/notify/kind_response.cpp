// How a service's HTTP answer ends a delivery attempt (kinds.h ClassifyResponse): the status
// decides delivered / transient / permanent, the body supplies the words the user reads
// ("Telegram: HTTP 400: Bad Request: chat not found") and, for services that put it there rather
// than in Retry-After, when to come back.
#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "kinds_internal.h"

namespace dogwatch {

using namespace kind_internal;  // NOLINT: the module's own helpers

namespace {

constexpr size_t kMaxDetail = 200;

// The start of a response body as one line of at most 200 characters.
std::string OneLineExcerpt(std::string_view body) {
  std::string line;
  size_t chars = 0;
  bool space = false;
  for (size_t i = 0; i < body.size() && chars < kMaxDetail;) {
    char32_t cp = NextCodePoint(body, i);
    if (cp <= 0x20 || cp == 0x7F) {  // runs of whitespace and line breaks become one space
      space = !line.empty();
      continue;
    }
    if (space && chars + 1 < kMaxDetail) line += ' ', ++chars;
    space = false;
    AppendUtf8(line, cp);
    ++chars;
  }
  return line;
}

std::optional<Json> ParseJsonObject(std::string_view body) {
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

// The service's own error words where its JSON has them, else the body's start.
std::string Detail(std::string_view kind, std::string_view body) {
  if (auto j = ParseJsonObject(body)) {
    for (const char* key : {"description", "error", "message", "msg"}) {
      if (j->contains(key) && (*j)[key].is_string()) {
        std::string words = OneLineExcerpt((*j)[key].get<std::string>());
        // Matrix pairs "error" with an errcode; keep both.
        if (kind == "matrix" && j->contains("errcode") && (*j)["errcode"].is_string())
          words = OneLineExcerpt((*j)["errcode"].get<std::string>() + ": " + words);
        return words;
      }
    }
    // Pushover: {"user":"invalid","errors":["user identifier is not a valid user ..."]}.
    if (j->contains("errors") && (*j)["errors"].is_array() && !(*j)["errors"].empty() &&
        (*j)["errors"][0].is_string())
      return OneLineExcerpt((*j)["errors"][0].get<std::string>());
  }
  return OneLineExcerpt(body);
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  int64_t seconds = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (header.empty() || ec != std::errc() || end != header.data() + header.size() || seconds < 0)
    return std::nullopt;  // the HTTP-date form is rare from these services; back off normally
  return std::chrono::seconds(std::min<int64_t>(seconds, 86400));
}

// Telegram says when in parameters.retry_after, Matrix in retry_after_ms.
std::optional<std::chrono::seconds> RetryAfterFromBody(std::string_view body) {
  auto j = ParseJsonObject(body);
  if (!j) return std::nullopt;
  if (j->contains("parameters") && (*j)["parameters"].is_object()) {
    const Json& p = (*j)["parameters"];
    if (p.contains("retry_after") && p["retry_after"].is_number_integer() &&
        p["retry_after"].get<int64_t>() >= 0)
      return std::chrono::seconds(std::min<int64_t>(p["retry_after"].get<int64_t>(), 86400));
  }
  if (j->contains("retry_after_ms") && (*j)["retry_after_ms"].is_number() &&
      (*j)["retry_after_ms"].get<double>() >= 0) {
    double ms = std::min((*j)["retry_after_ms"].get<double>(), 86400e3);
    return std::chrono::seconds(static_cast<int64_t>(std::ceil(ms / 1000)));
  }
  return std::nullopt;
}

// Telegram: a group that became a supergroup has a new chat ID; the user must change chat_id.
std::string TelegramHint(std::string_view body) {
  auto j = ParseJsonObject(body);
  if (!j || !j->contains("parameters") || !(*j)["parameters"].is_object()) return "";
  const Json& p = (*j)["parameters"];
  if (!p.contains("migrate_to_chat_id") || !p["migrate_to_chat_id"].is_number_integer()) return "";
  return fmt::format(" (set chat_id to {})", p["migrate_to_chat_id"].get<int64_t>());
}

}  // namespace

SendOutcome ClassifyResponse(std::string_view kind, int status, std::string_view body,
                             std::string_view retry_after_header) {
  if (status >= 200 && status <= 299) return SendOutcome::Delivered();
  std::string error = fmt::format("{}: HTTP {}", ChannelKindLabel(kind), status);
  if (std::string detail = Detail(kind, body); !detail.empty()) error += ": " + detail;
  if (kind == "telegram") error += TelegramHint(body);
  if (status >= 300 && status <= 399) error += " (redirects are not followed: use the final URL)";

  bool transient = status == 408 || status == 429 || status >= 500 || status < 200;
  if (!transient) {
    // Every other 4xx is final, the services' documented dead ends among them: Slack's 404
    // "no_service" and 400 "invalid_token", Telegram's 400 "chat not found" and 403 "bot was
    // blocked by the user", Pushover's "user key is invalid", Discord's 404 "Unknown Webhook".
    return SendOutcome::Permanent(std::move(error));
  }
  SendOutcome out = SendOutcome::Transient(std::move(error));
  out.retry_after = ParseRetryAfter(retry_after_header);
  if (!out.retry_after) out.retry_after = RetryAfterFromBody(body);
  return out;
}

}  // namespace dogwatch
