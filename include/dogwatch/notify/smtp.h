// SMTP delivery of email alerts (SPEC §7): plain, STARTTLS or implicit TLS transport; AUTH PLAIN
// or LOGIN; MIME with text and HTML alternatives, Date, Message-ID and a UTF-8 subject; lines
// wrapped and dot-stuffed. Blocking; each call uses its own connection, so any number of
// threads may send at once.
#pragma once

#include <chrono>
#include <string>

#include "dogwatch/core/time.h"
#include "dogwatch/notify/mail.h"
#include "dogwatch/notify/outcome.h"

namespace dogwatch {

enum class SmtpSecurity { kStartTls, kTls, kNone };

struct SmtpSettings {
  std::string host;  // empty: email is not configured, every send fails permanently
  int port = 587;
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string username;  // empty: no AUTH
  std::string password;
  std::string from = "dogwatch@localhost";
  std::string helo_name;  // empty: the machine's host name
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds timeout{30};  // the whole conversation
  // Certificates are verified against the system CA store (OpenSSL's default paths, which honour
  // SSL_CERT_FILE); ca_file adds a bundle for a private CA.
  std::string ca_file;
};

// The message as sent on the wire after DATA (CRLF line ends, before dot-stuffing).
std::string FormatMime(const SmtpSettings& settings, const MailMessage& message, TimePoint now,
                       const std::string& message_id);

// Sends one message. 5xx replies are permanent (a bad address, AUTH refused); 4xx replies,
// network errors, TLS failures and timeouts are transient. The error quotes the server's reply.
SendOutcome SendMail(const SmtpSettings& settings, const MailMessage& message, TimePoint now);

}  // namespace dogwatch
