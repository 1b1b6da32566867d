#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "dogwatch/notify/smtp.h"
#include "notify/mime_encode.h"

namespace dogwatch::notify_internal {
namespace {

const TimePoint kT0 = FromUnixMicros(1'772'546'709'000'000);  // 2026-03-03T14:05:09Z

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

// Every line ends with CRLF, no bare CR or LF, and none is longer than max_bytes.
void CheckWire(std::string_view text, size_t max_bytes) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') REQUIRE_MESSAGE((i > 0 && text[i - 1] == '\r'), "bare LF at ", i);
    if (text[i] == '\r')
      REQUIRE_MESSAGE((i + 1 < text.size() && text[i + 1] == '\n'), "bare CR at ", i);
  }
  for (const std::string& line : Lines(text)) CHECK_MESSAGE(line.size() <= max_bytes, line);
}

int HexValue(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

// RFC 2045 decoding, strict enough to catch our mistakes.
std::string DecodeQuotedPrintable(std::string_view qp) {
  std::string out;
  for (size_t i = 0; i < qp.size(); ++i) {
    if (qp[i] != '=') {
      out += qp[i];
    } else if (qp.substr(i + 1, 2) == "\r\n") {
      i += 2;  // soft break
    } else {
      REQUIRE(i + 2 < qp.size());
      out += static_cast<char>(HexValue(qp[i + 1]) * 16 + HexValue(qp[i + 2]));
      i += 2;
    }
  }
  return out;
}

std::string DecodeBase64(std::string_view b64) {
  const std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : b64) {
    if (c == '=') break;
    bits = (bits << 6) | static_cast<unsigned>(kAlphabet.find(c));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

// The decoded text of "=?UTF-8?B?...?=" words separated by folding white space.
std::vector<std::string> DecodeWords(std::string_view value) {
  std::vector<std::string> words;
  size_t pos = 0;
  while ((pos = value.find("=?UTF-8?B?", pos)) != std::string_view::npos) {
    size_t end = value.find("?=", pos + 10);
    REQUIRE(end != std::string_view::npos);
    words.push_back(DecodeBase64(value.substr(pos + 10, end - pos - 10)));
    pos = end + 2;
  }
  return words;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += p;
  return out;
}

TEST_CASE(
    "mime: quoted-printable keeps plain ASCII and escapes '=', 8-bit bytes and trailing space") {
  CHECK(EncodeQuotedPrintable("check is DOWN") == "check is DOWN");
  CHECK(EncodeQuotedPrintable("a=b") == "a=3Db");
  CHECK(EncodeQuotedPrintable("caf\xc3\xa9") == "caf=C3=A9");
  CHECK(EncodeQuotedPrintable("end \nnext\t") == "end=20\r\nnext=09");
  CHECK(EncodeQuotedPrintable("a\nb\r\nc\rd\n") == "a\r\nb\r\nc\r\nd\r\n");
  CHECK(EncodeQuotedPrintable(".leading dot") == ".leading dot");  // SMTP dot-stuffs it
}

TEST_CASE("mime: quoted-printable wraps long lines at 76 bytes without splitting an escape") {
  std::string text(300, 'x');
  text += "\n";
  for (int i = 0; i < 100; ++i) text += "\xc3\xa9=";  // escapes land on every column
  text += "\n" + std::string(75, 'y') + " \n" + std::string(76, 'z');
  std::string qp = EncodeQuotedPrintable(text);
  CheckWire(qp, 76);
  for (const std::string& line : Lines(qp)) {
    size_t eq = line.rfind('=');
    // An "=" is either a soft break at the very end or starts a whole "=XX".
    if (eq != std::string::npos && eq + 1 != line.size()) CHECK(eq + 3 <= line.size());
  }
  std::string normalized;
  for (char c : text) normalized += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(DecodeQuotedPrintable(qp) == normalized);
}

TEST_CASE("mime: an ASCII subject stays as it is") {
  CHECK(EncodeHeaderText("Subject", "DOWN | nightly-backup") == "DOWN | nightly-backup");
}

TEST_CASE("mime: a non-ASCII subject becomes encoded words that fold and never split a character") {
  std::string subject = "DOWN | sauvegarde nocturne \xc3\xa9t\xc3\xa9 \xe2\x9c\x93 ";
  for (int i = 0; i < 20; ++i) subject += "\xf0\x9f\x90\xb6";  // a 4-byte emoji, many times
  std::string value = EncodeHeaderText("Subject", subject);
  CHECK(value.starts_with("=?UTF-8?B?"));
  CheckWire("Subject: " + value + "\r\n", 76);
  auto words = DecodeWords(value);
  CHECK(words.size() > 1);
  for (const std::string& word : words) {
    REQUIRE_FALSE(word.empty());
    CHECK((static_cast<unsigned char>(word[0]) & 0xC0) != 0x80);  // starts a character
  }
  CHECK(Join(words) == subject);
}

TEST_CASE("mime: header text never carries a line break, and '=?' or a huge value is encoded") {
  std::string value = EncodeHeaderText("Subject", "a\r\nBcc: victim@example.com");
  CHECK(value.find('\r') == std::string::npos);
  CHECK(value.find('\n') == std::string::npos);
  CHECK(EncodeHeaderText("Subject", "=?x?=").starts_with("=?UTF-8?B?"));
  std::string longer(2000, 'a');
  std::string encoded = EncodeHeaderText("Subject", longer);
  CheckWire("Subject: " + encoded + "\r\n", 76);
  CHECK(Join(DecodeWords(encoded)) == longer);
}

TEST_CASE("mime: dates are RFC 5322 in UTC") {
  CHECK(FormatRfc5322Date(kT0) == "Tue, 03 Mar 2026 14:05:09 +0000");
  CHECK(FormatRfc5322Date(FromUnixMicros(951'782'400'000'000)) ==
        "Tue, 29 Feb 2000 00:00:00 +0000");
}

TEST_CASE("mime: AddressOf takes the address out of a mailbox") {
  CHECK(AddressOf("ops@example.com") == "ops@example.com");
  CHECK(AddressOf("  ops@example.com ") == "ops@example.com");
  CHECK(AddressOf("Dogwatch <dw@example.com>") == "dw@example.com");
  CHECK(AddressOf("") == "");
}

TEST_CASE("mime: dot-stuffing doubles leading dots and appends the end marker") {
  CHECK(DotStuff(".a\r\nb\r\n..c\r\n.\r\n") == "..a\r\nb\r\n...c\r\n..\r\n.\r\n");
  CHECK(DotStuff("no final line end") == "no final line end\r\n.\r\n");
  CHECK(DotStuff("a.b\r\n") == "a.b\r\n.\r\n");
}

TEST_CASE("mime: base64 matches RFC 4648's examples") {
  CHECK(Base64("") == "");
  CHECK(Base64("f") == "Zg==");
  CHECK(Base64("fo") == "Zm8=");
  CHECK(Base64("foobar") == "Zm9vYmFy");
  CHECK(Base64(std::string("\0user\0pass", 10)) == "AHVzZXIAcGFzcw==");
}

MailMessage Sample() {
  MailMessage m;
  m.to = {"ops@example.com", "oncall@example.com"};
  m.subject = "DOWN | nightly-backup";
  m.text = "The check is down.\n.\nLast ping: 2 h ago.\n";
  m.html = "<p>The check is <b>down</b>.</p>\n";
  m.headers = {{"List-Unsubscribe", "<https://dw.example.com/unsub>"},
               {"Subject", "overridden?"},
               {"Bad Name", "dropped"},
               {"X-Check", "a\r\nBcc: victim@example.com"}};
  return m;
}

TEST_CASE("mime: FormatMime builds a multipart/alternative message with the required headers") {
  SmtpSettings settings;
  settings.from = "Dogwatch <dw@example.com>";
  std::string id = "Xy7Qm2Lp9Rt4Vw8Zb3Nc6Hd1@alerts.dogwatch.example.com";
  std::string mime = FormatMime(settings, Sample(), kT0, id);
  CheckWire(mime, 78);
  CHECK(mime.starts_with("Date: Tue, 03 Mar 2026 14:05:09 +0000\r\n"));
  CHECK(mime.find("\r\nFrom: Dogwatch <dw@example.com>\r\n") != std::string::npos);
  CHECK(mime.find("\r\nTo: ops@example.com, oncall@example.com\r\n") != std::string::npos);
  CHECK(mime.find("\r\nSubject: DOWN | nightly-backup\r\n") != std::string::npos);
  CHECK(mime.find("\r\nMessage-ID: <" + id + ">\r\n") != std::string::npos);
  CHECK(mime.find("\r\nMIME-Version: 1.0\r\n") != std::string::npos);
  CHECK(mime.find("\r\nList-Unsubscribe: <https://dw.example.com/unsub>\r\n") != std::string::npos);
  CHECK(mime.find("overridden?") == std::string::npos);
  CHECK(mime.find("Bad Name") == std::string::npos);
  CHECK(mime.find("\r\nBcc:") == std::string::npos);
  CHECK(mime.find("Content-Type: multipart/alternative;\r\n boundary=\"=_dogwatch_") !=
        std::string::npos);
  CHECK(mime.find("Content-Type: text/plain; charset=utf-8") != std::string::npos);
  CHECK(mime.find("Content-Type: text/html; charset=utf-8") != std::string::npos);
  CHECK(mime.find("\r\n.\r\nLast ping") != std::string::npos);  // dots are SMTP's business
  CHECK(mime.ends_with("--\r\n"));
}

TEST_CASE("mime: FormatMime sends a single text/plain part when there is no HTML") {
  MailMessage m = Sample();
  m.html.clear();
  std::string mime = FormatMime(SmtpSettings{}, m, kT0, "<id@localhost>");
  CheckWire(mime, 78);
  CHECK(mime.find("multipart") == std::string::npos);
  CHECK(mime.find("\r\nMessage-ID: <id@localhost>\r\n") != std::string::npos);
  CHECK(mime.find("\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  "Content-Transfer-Encoding: quoted-printable\r\n\r\nThe check is down.\r\n") !=
        std::string::npos);
  CHECK(mime.ends_with("\r\n"));
}

TEST_CASE("mime: FormatMime encodes a UTF-8 subject and display name and folds a long To") {
  SmtpSettings settings;
  settings.from = "D\xc3\xb6gwatch <dw@example.com>";
  MailMessage m = Sample();
  m.subject = "DOWN | t\xc3\xa2\x63he quotidienne";
  for (int i = 0; i < 10; ++i) m.to.push_back("someone" + std::to_string(i) + "@example.com");
  std::string mime = FormatMime(settings, m, kT0, "x@y");
  CheckWire(mime, 78);
  CHECK(mime.find("\r\nSubject: =?UTF-8?B?") != std::string::npos);
  CHECK(mime.find("\r\nFrom: =?UTF-8?B?" + Base64("D\xc3\xb6gwatch") + "?= <dw@example.com>\r\n") !=
        std::string::npos);
  CHECK(mime.find("someone9@example.com") != std::string::npos);
}

}  // namespace
}  // namespace dogwatch::notify_internal
