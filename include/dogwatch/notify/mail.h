// MailMessage: one email alert, before MIME encoding (smtp.h turns it into RFC 5322 text).
// Plain value.
#pragma once

#include <string>
#include <vector>

namespace dogwatch {

struct MailMessage {
  std::vector<std::string> to;  // bare addresses: "ops@example.com"
  std::string subject;          // UTF-8, e.g. "DOWN | nightly-backup"
  std::string text;             // text/plain part, UTF-8
  std::string html;             // text/html part, UTF-8; empty for a text-only message
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. List-Unsubscribe
};

}  // namespace dogwatch
