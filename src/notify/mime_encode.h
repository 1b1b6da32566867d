// The encodings an email needs on a 7-bit, line-limited wire: quoted-printable bodies (RFC 2045),
// encoded-word headers (RFC 2047), base64, RFC 5322 dates, and SMTP dot-stuffing (RFC 5321
// 4.5.2). Private to the notify module (FormatMime, SendMail and their tests). Pure functions;
// thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "dogwatch/core/time.h"

namespace dogwatch::notify_internal {

// Standard base64 (RFC 4648) without line breaks: AUTH arguments and encoded words.
std::string Base64(std::string_view bytes);

// Quoted-printable with CRLF line ends. Any line end in the input (CRLF, LF or a lone CR) becomes
// a hard CRLF; encoded lines are at most 76 bytes, split with soft breaks ("=" CRLF) that never
// cut an "=XX" escape. Bytes outside printable ASCII, "=", and a space or tab before a line end
// are escaped.
std::string EncodeQuotedPrintable(std::string_view text);

// A header value for `header_name`: unchanged when it is printable ASCII and short enough for
// one line; otherwise RFC 2047 "=?UTF-8?B?...?=" words of at most 75 bytes, folded with CRLF SP,
// never splitting a UTF-8 character. CR and LF in the input never reach the output.
std::string EncodeHeaderText(std::string_view header_name, std::string_view value);

// "Tue, 03 Mar 2026 14:05:09 +0000" (RFC 5322 3.3), in UTC.
std::string FormatRfc5322Date(TimePoint t);

// The bare address of "Name <user@host>" or "user@host", trimmed.
std::string_view AddressOf(std::string_view mailbox);

// DATA payload from a CRLF message: a "." is prepended to every line starting with "." and the
// end-of-data marker (".\r\n" after a final CRLF) is appended.
std::string DotStuff(std::string_view message);

}  // namespace dogwatch::notify_internal
