// Field-level validation and redaction of channel values: strict JSON types (no numbers in
// strings, no nulls, no floats for integers), URLs, tokens, header maps, email address lists.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "kinds_internal.h"

namespace dogwatch::kind_internal {
namespace {

constexpr size_t kMaxHeaders = 20;
constexpr size_t kMaxHeaderValue = 1000;

bool HasControl(std::string_view s, bool allow_line_breaks) {
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (b < 0x20 || b == 0x7F) return true;
  }
  return false;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t at = i;
    char32_t cp = NextCodePoint(s, i);
    // U+FFFD from a one-byte step is a decoding error; a real U+FFFD takes three bytes.
    if (cp == 0xFFFD && i - at == 1) return false;
  }
  return true;
}

std::string CheckText(const FieldSpec& f, const std::string& s) {
  if (s.empty()) return f.allow_empty ? "" : "expected a non-empty string";
  if (!IsValidUtf8(s)) return "expected UTF-8 text";
  if (Utf8Length(s) > f.max_length)
    return fmt::format("expected at most {} characters", f.max_length);
  if (HasControl(s, f.multiline)) return "expected a single line of text";
  return "";
}

std::string CheckToken(const FieldSpec& f, const std::string& s) {
  if (s.empty()) return f.allow_empty ? "" : "expected " + Expected(f);
  if (s.size() > f.max_length) return fmt::format("expected at most {} characters", f.max_length);
  for (char c : s) {
    if (c <= 0x20 || c >= 0x7F) return "expected " + Expected(f) + " (printable ASCII, no spaces)";
  }
  return "";
}

// Telegram chat IDs are integers (negative for groups); a public channel may be "@name".
std::string CheckChatId(Json& v) {
  if (v.is_number_integer() && v.get<int64_t>() != 0) return "";
  if (!v.is_string()) return "expected a chat ID (an integer) or a @channel name";
  const std::string& s = v.get_ref<const std::string&>();
  if (s.size() >= 2 && s[0] == '@' && s.size() <= 33 &&
      std::all_of(s.begin() + 1, s.end(),
                  [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
    return "";
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec == std::errc() && end == s.data() + s.size() && id != 0 && !s.empty() && s[0] != '+') {
    v = id;  // "-100123" as the integer Telegram documents
    return "";
  }
  return "expected a chat ID (an integer) or a @channel name";
}

std::string CheckHeaders(Json& v) {
  if (!v.is_object()) return "expected an object of header names to values";
  if (v.size() > kMaxHeaders) return fmt::format("expected at most {} headers", kMaxHeaders);
  for (const auto& [name, value] : v.items()) {
    if (!IsHeaderToken(name))
      return fmt::format("header name {} is not a valid HTTP token", DumpJson(Json(name)));
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    // These frame the request itself; the HTTP sender sets them.
    if (lower == "content-length" || lower == "transfer-encoding" || lower == "host" ||
        lower == "connection")
      return fmt::format("header {} is set by dogwatch and cannot be configured", name);
    if (!value.is_string()) return fmt::format("header {}: expected a string value", name);
    const std::string& s = value.get_ref<const std::string&>();
    if (HasControl(s, false))
      return fmt::format("header {}: expected a value without line breaks", name);
    if (Utf8Length(s) > kMaxHeaderValue)
      return fmt::format("header {}: expected at most {} characters", name, kMaxHeaderValue);
  }
  return "";
}

}  // namespace

Error FieldError(std::string_view field, std::string_view what) {
  return Error{Errc::kInvalidArgument, fmt::format("value.{}: {}", field, what)};
}

std::string Expected(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::kText:
      return f.allow_empty ? "a string" : "a non-empty string";
    case FieldType::kToken:
      return "a non-empty token";
    case FieldType::kUrl:
      return "an http:// or https:// URL with a host";
    case FieldType::kBool:
      return "true or false";
    case FieldType::kInt:
      return fmt::format("an integer from {} to {}", f.min, f.max);
    case FieldType::kChoice: {
      std::string list;
      for (auto c : f.choices) list += (list.empty() ? "\"" : ", \"") + std::string(c) + "\"";
      return "one of " + list;
    }
    case FieldType::kChatId:
      return "a chat ID (an integer) or a @channel name";
    case FieldType::kHeaders:
      return "an object of header names to values";
  }
  return "a value";
}

std::string CheckField(const FieldSpec& f, Json& v) {
  const std::string expected = "expected " + Expected(f);
  switch (f.type) {
    case FieldType::kText:
      return v.is_string() ? CheckText(f, v.get_ref<const std::string&>()) : expected;
    case FieldType::kToken:
      return v.is_string() ? CheckToken(f, v.get_ref<const std::string&>()) : expected;
    case FieldType::kUrl: {
      if (!v.is_string()) return expected;
      const std::string& s = v.get_ref<const std::string&>();
      if (s.empty()) return f.allow_empty ? "" : expected;
      if (s.size() > f.max_length)
        return fmt::format("expected at most {} characters", f.max_length);
      auto url = ParseHttpUrl(s);
      if (!url) return expected;
      // "HTTPS://x" is stored as "https://x": the HTTP sender matches the scheme as written.
      v = url->scheme + s.substr(s.find("://"));
      return "";
    }
    case FieldType::kBool:
      return v.is_boolean() ? "" : expected;
    case FieldType::kInt: {
      if (!v.is_number_integer()) return expected;
      if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)) return expected;
      int64_t n = v.get<int64_t>();
      return n >= f.min && n <= f.max ? "" : expected;
    }
    case FieldType::kChoice:
      if (v.is_string() && std::find(f.choices.begin(), f.choices.end(),
                                     v.get_ref<const std::string&>()) != f.choices.end())
        return "";
      return expected;
    case FieldType::kChatId:
      return CheckChatId(v);
    case FieldType::kHeaders:
      return CheckHeaders(v);
  }
  return expected;
}

std::string Redact(std::string_view secret, Redaction how) {
  if (how == Redaction::kNone || secret.empty()) return std::string(secret);
  // A short secret shows nothing at all: four characters of eight would be half of it.
  auto cut = [](std::string_view s) {
    return Utf8Length(s) <= 8 ? std::string("…") : Utf8Prefix(s, 4) + "…";
  };
  if (how == Redaction::kPrefix) return cut(secret);
  auto url = ParseHttpUrl(secret);
  if (!url) return cut(secret);
  std::string_view rest = url->rest;
  if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  std::string origin = url->scheme + "://" + url->authority + "/";
  return rest.empty() ? origin : origin + cut(rest);
}

bool IsHeaderToken(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  constexpr std::string_view kSpecials = "!#$%&'*+-.^_`|~";
  return std::all_of(name.begin(), name.end(), [&](char c) {
    auto b = static_cast<unsigned char>(c);
    return (b < 0x80 && std::isalnum(b)) || kSpecials.find(c) != std::string_view::npos;
  });
}

bool IsPlausibleEmail(std::string_view a) {
  size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 ||
      a.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view local = a.substr(0, at), domain = a.substr(at + 1);
  if (domain.empty() || domain.size() > 253 || a.size() > 254) return false;
  for (char c : local) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F ||
        std::string_view("\"(),:;<>[\\]").find(c) != std::string_view::npos)
      return false;
  }
  if (local.front() == '.' || local.back() == '.') return false;
  // Domain labels: letters, digits, hyphens (and UTF-8 for internationalized names), no empty
  // label.
  size_t start = 0;
  while (start <= domain.size()) {
    size_t dot = std::min(domain.find('.', start), domain.size());
    std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    for (char c : label) {
      auto b = static_cast<unsigned char>(c);
      if (!(std::isalnum(b) || c == '-' || b >= 0x80)) return false;
    }
    start = dot + 1;
  }
  return true;
}

Result<std::vector<std::string>> ParseAddressList(std::string_view text, size_t max_count) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = std::min(text.find(',', start), text.size());
    std::string_view item = text.substr(start, comma - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.empty())
      return Fail(Errc::kInvalidArgument,
                  "expected email addresses separated by commas, found an empty item");
    if (!IsPlausibleEmail(item))
      return Fail(Errc::kInvalidArgument, "expected an email address like name@example.com, got {}",
                  DumpJson(Json(std::string(item))));
    out.emplace_back(item);
    start = comma + 1;
  }
  if (out.size() > max_count)
    return Fail(Errc::kInvalidArgument, "expected at most {} addresses", max_count);
  return out;
}

}  // namespace dogwatch::kind_internal
