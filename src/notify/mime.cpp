// FormatMime and the encodings it needs (mime_encode.h). Everything is 7-bit and CRLF, every line
// at most 78 bytes (headers) or 76 (bodies), so any relay passes the message through untouched.
#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "dogwatch/notify/smtp.h"
#include "mime_encode.h"

namespace dogwatch {
namespace notify_internal {
namespace {

constexpr size_t kBodyLineBytes = 76;    // RFC 2045 6.7 (5)
constexpr size_t kHeaderLineBytes = 76;  // under RFC 5322's 78
constexpr std::string_view kHex = "0123456789ABCDEF";

bool IsPrintableAscii(unsigned char c) { return c >= 0x20 && c < 0x7f; }
bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// CR and LF would end the header early: a value could smuggle in headers of its own.
std::string OneLine(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

bool NeedsEncodedWords(std::string_view header_name, std::string_view value) {
  if (header_name.size() + 2 + value.size() > kHeaderLineBytes) {
    // A long ASCII value could be folded at spaces instead; encoded words are simpler and
    // equally valid for the unstructured fields this is used for.
    return true;
  }
  for (unsigned char c : value) {
    if (!IsPrintableAscii(c) && c != '\t') return true;
  }
  // Literal "=?" could be taken for the start of an encoded word by the reader.
  return value.find("=?") != std::string_view::npos;
}

// Splits text into lines at CRLF, LF or a lone CR; calls line(text, ends_with_break).
template <typename F>
void ForEachLine(std::string_view text, F line) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) {
      line(text.substr(start), false);
      return;
    }
    line(text.substr(start, end - start), true);
    start = end + ((text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n') ? 2 : 1);
  }
}

}  // namespace

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string EncodeQuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  ForEachLine(text, [&](std::string_view line, bool hard_break) {
    size_t column = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      auto c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      // Trailing white space is stripped by some transports, so it must be escaped.
      bool literal =
          (IsPrintableAscii(c) && c != '=' && !(c == ' ' && last)) || (c == '\t' && !last);
      size_t width = literal ? 1 : 3;
      // Keep one column for the "=" of a soft break, so no line exceeds 76 bytes.
      if (column + width > kBodyLineBytes - 1) {
        out += "=\r\n";
        column = 0;
      }
      if (literal) {
        out += static_cast<char>(c);
      } else {
        out += '=';
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      }
      column += width;
    }
    if (hard_break) out += "\r\n";
  });
  return out;
}

std::string EncodeHeaderText(std::string_view header_name, std::string_view value) {
  std::string flat = OneLine(value);
  if (!NeedsEncodedWords(header_name, flat)) return flat;
  constexpr std::string_view kOpen = "=?UTF-8?B?";
  constexpr std::string_view kClose = "?=";
  std::string out;
  size_t used = header_name.size() + 2;  // "Name: " on the first line
  constexpr size_t kOverhead = kOpen.size() + kClose.size();
  if (used + kOverhead + 4 > kHeaderLineBytes) {
    out += "\r\n ";  // a long name: start the words on a continuation line
    used = 1;
  }
  std::string_view rest = flat;
  bool first = true;
  while (!rest.empty()) {
    size_t take = std::min(rest.size(), (kHeaderLineBytes - used - kOverhead) / 4 * 3);
    // A word must hold whole characters (RFC 2047 5 (3)): back off to a UTF-8 lead byte.
    size_t whole = take;
    while (whole > 0 && whole < rest.size() && IsUtf8Continuation(rest[whole])) --whole;
    if (whole > 0) take = whole;
    if (!first) out += "\r\n ";
    first = false;
    out += kOpen;
    out += Base64(rest.substr(0, take));
    out += kClose;
    rest.remove_prefix(take);
    used = 1;  // continuation lines start with one space
  }
  return out;
}

std::string FormatRfc5322Date(TimePoint t) {
  using namespace std::chrono;
  static constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                            "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto secs = floor<seconds>(t);
  auto day = floor<days>(secs);
  year_month_day ymd{day};
  hh_mm_ss hms{secs - day};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000", kDays[weekday{day}.c_encoding()],
                     static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string_view AddressOf(std::string_view mailbox) {
  size_t open = mailbox.rfind('<');
  if (open != std::string_view::npos) {
    size_t close = mailbox.find('>', open);
    if (close != std::string_view::npos) return mailbox.substr(open + 1, close - open - 1);
  }
  size_t first = mailbox.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  size_t last = mailbox.find_last_not_of(" \t");
  return mailbox.substr(first, last - first + 1);
}

std::string DotStuff(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 64 + 5);
  bool line_start = true;
  for (char c : message) {
    if (line_start && c == '.') out += '.';
    out += c;
    line_start = c == '\n';
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  out += ".\r\n";
  return out;
}

namespace {

// From: the configured mailbox, its display name encoded when it is not ASCII.
std::string FromHeader(std::string_view from) {
  size_t open = from.rfind('<');
  if (open == std::string_view::npos) return OneLine(from);
  std::string_view name = from.substr(0, open);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  bool ascii = true;
  for (unsigned char c : name) ascii = ascii && IsPrintableAscii(c);
  if (ascii) return OneLine(from);
  return fmt::format("=?UTF-8?B?{}?= <{}>", Base64(OneLine(name)), OneLine(AddressOf(from)));
}

// To: the recipients, folded between addresses.
std::string ToHeader(const std::vector<std::string>& to) {
  std::string out;
  size_t column = 4;  // "To: "
  for (size_t i = 0; i < to.size(); ++i) {
    std::string address = OneLine(to[i]);
    if (i > 0) {
      out += ',';
      if (column + 2 + address.size() > kHeaderLineBytes) {
        out += "\r\n";
        column = 0;
      }
      out += ' ';
      column += 2;
    }
    out += address;
    column += address.size();
  }
  return out;
}

bool IsReservedHeader(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kOurs = {
      "date",       "from",         "to",           "subject",
      "message-id", "mime-version", "content-type", "content-transfer-encoding"};
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view ours : kOurs) {
    if (lower == ours) return true;
  }
  return false;
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    if (c <= 0x20 || c >= 0x7f || c == ':') return false;
  }
  return true;
}

std::string Part(std::string_view content_type, std::string_view body) {
  return fmt::format(
      "Content-Type: {}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n{}",
      content_type, EncodeQuotedPrintable(body));
}

// A boundary that quoted-printable output cannot contain: QP never emits "=_" ("=" is always
// followed by a hex digit or a line end). The message id makes it unique per message.
std::string BoundaryFor(std::string_view message_id) {
  std::string boundary = "=_dogwatch_";
  for (char c : message_id) {
    if (std::isalnum(static_cast<unsigned char>(c)) && boundary.size() < 40) boundary += c;
  }
  return boundary;
}

}  // namespace
}  // namespace notify_internal

std::string FormatMime(const SmtpSettings& settings, const MailMessage& message, TimePoint now,
                       const std::string& message_id) {
  using namespace notify_internal;
  std::string id = OneLine(message_id);
  if (!id.starts_with('<')) id = "<" + id + ">";
  std::string out;
  out += "Date: " + FormatRfc5322Date(now) + "\r\n";
  out += "From: " + FromHeader(settings.from) + "\r\n";
  out += "To: " + ToHeader(message.to) + "\r\n";
  out += "Subject: " + EncodeHeaderText("Subject", message.subject) + "\r\n";
  out += "Message-ID: " + id + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  for (const auto& [name, value] : message.headers) {
    // Extra headers never override the ones above, and a malformed name is dropped rather
    // than corrupting the header block.
    if (!IsValidHeaderName(name) || IsReservedHeader(name)) continue;
    out += name + ": " + EncodeHeaderText(name, value) + "\r\n";
  }
  if (message.html.empty()) {
    out += Part("text/plain", message.text);
    if (!out.ends_with("\r\n")) out += "\r\n";
    return out;
  }
  std::string boundary = BoundaryFor(id);
  out += "Content-Type: multipart/alternative;\r\n boundary=\"" + boundary + "\"\r\n\r\n";
  // The CRLF before each delimiter belongs to the delimiter (RFC 2046 5.1.1).
  out += "--" + boundary + "\r\n" + Part("text/plain", message.text) + "\r\n";
  out += "--" + boundary + "\r\n" + Part("text/html", message.html) + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace dogwatch
