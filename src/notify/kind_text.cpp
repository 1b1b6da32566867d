// Escaping and encoding for every format a channel speaks: HTML, Markdown, Slack mrkdwn, Python's
// json.dumps and urllib quoting (webhook templates must match Healthchecks byte for byte), form
// bodies, shell words, Base64 and URLs.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "kinds_internal.h"

namespace dogwatch::kind_internal {

char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t len = b0 < 0xC2 ? 0 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : b0 <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = b0 & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  bool overlong = (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
  if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    ++i;
    return 0xFFFD;
  }
  i += len;
  return cp;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string LossyUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) AppendUtf8(out, NextCodePoint(s, i));
  return out;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) NextCodePoint(s, i);
  return n;
}

std::string Utf8Prefix(std::string_view s, size_t max_chars) {
  std::string out;
  size_t i = 0;
  for (size_t n = 0; n < max_chars && i < s.size(); ++n) AppendUtf8(out, NextCodePoint(s, i));
  return out;
}

std::string OneLine(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    char32_t cp = NextCodePoint(s, i);
    if (cp < 0x20 || cp == 0x7F || cp == 0x2028 || cp == 0x2029) cp = ' ';
    AppendUtf8(out, cp);
  }
  return out;
}

std::vector<std::string> SplitTags(std::string_view tags) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= tags.size()) {
    size_t end = tags.find(' ', start);
    if (end == std::string_view::npos) end = tags.size();
    if (end > start) out.emplace_back(tags.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MarkdownEscape(std::string_view s) {
  // Only what can start formatting inside a line, and only with escapes that CommonMark (ntfy,
  // Gotify) and Python-Markdown (Zulip) both honour; an escape a renderer does not know shows a
  // stray backslash, and phone notifications often show the raw text anyway.
  std::string out;
  out.reserve(s.size());
  size_t lead = s.find_first_not_of(' ');
  size_t digits_end =
      lead == std::string_view::npos ? lead : s.find_first_not_of("0123456789", lead);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    // At the start, a block marker: a heading, quote, list item or numbered list item.
    bool block = (i == lead && std::string_view("#>+-").find(c) != std::string_view::npos) ||
                 (i == digits_end && i > lead && (c == '.' || c == ')'));
    if (c == '<')
      out += "&lt;";  // raw HTML; no backslash escape works for it everywhere
    else if (block || std::string_view("\\`*_[]").find(c) != std::string_view::npos)
      out += '\\', out += c;
    else
      out += c;
  }
  return out;
}

std::string SlackEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else
      out += c;
  }
  return out;
}

std::string MarkdownCodeBlock(std::string_view code) {
  size_t longest = 0;
  for (size_t i = 0; i < code.size();) {
    size_t run = 0;
    while (i < code.size() && code[i] == '`') ++run, ++i;
    longest = std::max(longest, run);
    if (run == 0) ++i;
  }
  std::string fence(std::max<size_t>(3, longest + 1), '`');
  std::string out = fence + "\n" + std::string(code);
  if (!code.empty() && code.back() != '\n') out += '\n';
  return out + fence;
}

std::string PyJsonQuote(std::string_view s) {
  std::string out = "\"";
  auto u = [&](unsigned v) { out += fmt::format("\\u{:04x}", v); };
  for (size_t i = 0; i < s.size();) {
    char32_t cp = NextCodePoint(s, i);
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (cp >= 0x20 && cp < 0x7F) {
          out += static_cast<char>(cp);
        } else if (cp < 0x10000) {
          u(cp);
        } else {
          char32_t v = cp - 0x10000;
          u(0xD800 + (v >> 10));
          u(0xDC00 + (v & 0x3FF));
        }
    }
  }
  return out + "\"";
}

std::string PercentEncode(std::string_view s, std::string_view safe) {
  std::string out;
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) || c == '_' || c == '.' || c == '-' || c == '~' ||
        safe.find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += fmt::format("%{:02X}", b);
    }
  }
  return out;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  auto plus = [](std::string_view s) {
    std::string out = PercentEncode(s, " ");
    std::replace(out.begin(), out.end(), ' ', '+');
    return out;
  };
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += plus(name) + "=" + plus(value);
  }
  return out;
}

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string Base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 0x3F];
  }
  if (size_t left = data.size() - i; left > 0) {
    uint32_t v = uint8_t(data[i]) << 16;
    if (left == 2) v |= uint8_t(data[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 0x3F];
    out += kAlphabet[(v >> 12) & 0x3F];
    out += left == 2 ? kAlphabet[(v >> 6) & 0x3F] : '=';
    out += '=';
  }
  return out;
}

std::string DumpJson(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::optional<HttpUrl> ParseHttpUrl(std::string_view url) {
  size_t colon = url.find("://");
  if (colon == std::string_view::npos) return std::nullopt;
  HttpUrl u;
  for (char c : url.substr(0, colon))
    u.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u.scheme != "http" && u.scheme != "https") return std::nullopt;
  for (char c : url) {
    auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b == 0x7F) return std::nullopt;
  }
  std::string_view after = url.substr(colon + 3);
  size_t end = after.find_first_of("/?#");
  std::string_view authority = after.substr(0, end);
  if (authority.empty()) return std::nullopt;
  // Host names, IPv4 and [IPv6] literals and a port; no user info ("user:pass@" is a secret in
  // the wrong place and not something the HTTP sender takes).
  for (char c : authority) {
    auto b = static_cast<unsigned char>(c);
    bool ok = std::isalnum(b) || b >= 0x80 ||
              std::string_view(".-_~:[]%").find(c) != std::string_view::npos;
    if (!ok) return std::nullopt;
  }
  std::string_view host = authority;
  if (host.front() == '[') {  // an IPv6 literal
    size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    std::string_view port = host.substr(close + 1);
    if (!port.empty() && (port[0] != ':' || port.size() == 1)) return std::nullopt;
    host = port;  // only the port is left to check
  } else if (size_t c = host.rfind(':'); c != std::string_view::npos) {
    if (c == 0 || c + 1 == host.size()) return std::nullopt;
    host = host.substr(c);
  } else {
    host = {};
  }
  if (!host.empty()) {  // ":port"
    std::string_view digits = host.substr(1);
    if (digits.size() > 5 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return std::nullopt;
    if (std::stoi(std::string(digits)) > 65535) return std::nullopt;
  }
  u.authority = std::string(authority);
  u.rest = end == std::string_view::npos ? "" : std::string(after.substr(end));
  return u;
}

std::string JoinUrl(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base) + std::string(path);
}

OutboundRequest JsonRequest(std::string method, std::string url, const Json& body) {
  OutboundRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = DumpJson(body);
  return r;
}

OutboundRequest FormRequest(std::string url,
                            const std::vector<std::pair<std::string, std::string>>& fields) {
  OutboundRequest r;
  r.url = std::move(url);
  r.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  r.body = FormEncode(fields);
  return r;
}

}  // namespace dogwatch::kind_internal
