// SendMail: one SMTP conversation (RFC 5321) per message. The bytes, TLS and the deadline live in
// SmtpStream; this file is the dialogue: greeting, EHLO, STARTTLS, AUTH, envelope, DATA, QUIT.
//
// Recipients: the first RCPT TO the server refuses ends the attempt before DATA, and its reply
// decides the outcome (4xx transient, 5xx permanent). Nobody gets a partial delivery, so a retry
// never sends a second copy to the recipients that were accepted.
#include "dogwatch/notify/smtp.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <climits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dogwatch/core/ids.h"
#include "mime_encode.h"
#include "smtp_stream.h"

namespace dogwatch {
namespace {

using notify_internal::SmtpStream;

constexpr size_t kMaxReplyLineBytes = 4096;  // RFC 5321 allows 512; be lenient, not unbounded
constexpr size_t kMaxReplyLines = 100;
constexpr size_t kMaxQuotedBytes = 300;
constexpr auto kQuitGrace = std::chrono::seconds(1);

// What the server said, made safe to show: control bytes and anything beyond max_bytes go.
std::string Printable(std::string_view text, size_t max_bytes = kMaxQuotedBytes) {
  std::string out;
  for (unsigned char c : text.substr(0, max_bytes)) out += (c < 0x20 || c == 0x7f) ? '?' : c;
  if (text.size() > max_bytes) out += "...";
  return out;
}

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // the text after "NNN-" or "NNN "

  // "550 5.1.1 no such user": the code and every line's text, as the error quotes it.
  std::string Quote() const {
    std::string text = std::to_string(code);
    for (const std::string& line : lines) {
      if (!line.empty()) text += " " + line;
    }
    return Printable(text);
  }
};

// "250-SIZE 100" or "250 OK" or a bare "250".
bool IsReplyLine(std::string_view line) {
  if (line.size() < 3 || line[0] < '1' || line[0] > '5') return false;
  if (!std::isdigit(static_cast<unsigned char>(line[1])) ||
      !std::isdigit(static_cast<unsigned char>(line[2])))
    return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '-';
}

// An address goes between < and > in a command line: anything that could end the line or the
// brackets would let a channel's address inject SMTP commands.
bool IsSafeAddress(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  for (unsigned char c : address) {
    if (c <= 0x20 || c == 0x7f || c == '<' || c == '>') return false;
  }
  return true;
}

std::string HeloName(const SmtpSettings& settings) {
  std::string name = settings.helo_name;
  if (name.empty()) {
    char host[HOST_NAME_MAX + 1] = {};
    if (gethostname(host, sizeof host - 1) == 0) name = host;
  }
  bool ok = !name.empty();
  for (unsigned char c : name) ok = ok && (std::isalnum(c) || c == '.' || c == '-');
  return ok ? name : "localhost";
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

class Conversation {
 public:
  Conversation(const SmtpSettings& settings, SmtpStream::Clock::time_point deadline)
      : s_(settings), stream_(deadline), helo_(HeloName(settings)) {}

  SendOutcome Run(std::string_view from, const std::vector<std::string>& to,
                  const std::string& mime) {
    SendOutcome outcome = Converse(from, to, mime);
    if (in_sync_) Quit();
    return outcome;
  }

 private:
  SendOutcome Converse(std::string_view from, const std::vector<std::string>& to,
                       const std::string& mime) {
    SendOutcome o = Open();
    if (o.ok()) o = Authenticate();
    if (o.ok())
      o = Exchange(fmt::format("MAIL FROM:<{}>", from), fmt::format("MAIL FROM <{}>", from), 2);
    for (size_t i = 0; o.ok() && i < to.size(); ++i)
      o = Exchange(fmt::format("RCPT TO:<{}>", to[i]), fmt::format("RCPT TO <{}>", to[i]), 2);
    if (o.ok()) o = Exchange("DATA", "DATA", 3);
    if (o.ok()) o = Exchange(notify_internal::DotStuff(mime), "message", 2, /*add_crlf=*/false);
    return o;
  }

  SendOutcome Open() {
    std::string where = fmt::format("{}:{}", s_.host, s_.port);
    if (Status s = stream_.Connect(s_.host, s_.port, s_.connect_timeout); !s)
      return Failed(fmt::format("connect to {}", where), s.error());
    if (s_.security == SmtpSecurity::kTls) {
      if (Status s = stream_.StartTls(s_.host, s_.ca_file); !s)
        return Failed(fmt::format("TLS with {}", where), s.error());
    }
    if (SendOutcome o = Exchange("", "greeting", 2); !o.ok()) return o;
    if (SendOutcome o = Hello(); !o.ok()) return o;
    if (s_.security != SmtpSecurity::kStartTls) return SendOutcome::Delivered();
    if (!extensions_.contains("STARTTLS")) {
      // Carrying on in clear would expose the password and the alert to anyone on the path,
      // which is what asking for STARTTLS rules out. Retrying will not make it appear.
      return SendOutcome::Permanent(
          fmt::format("smtp: {} does not offer STARTTLS; refusing to continue in clear (security = "
                      "\"starttls\")",
                      where));
    }
    if (SendOutcome o = Exchange("STARTTLS", "STARTTLS", 2); !o.ok()) return o;
    if (stream_.has_unread()) {
      // Bytes sent in clear after the 220 could be answers injected by a man in the middle
      // (CVE-2011-0411); they must not be read as if they came over TLS.
      in_sync_ = false;
      return SendOutcome::Transient("smtp: STARTTLS: the server sent data before the handshake");
    }
    if (Status s = stream_.StartTls(s_.host, s_.ca_file); !s) {
      in_sync_ = false;
      return Failed(fmt::format("STARTTLS with {}", where), s.error());
    }
    return Hello();  // extensions may differ over TLS (AUTH often appears only now)
  }

  SendOutcome Hello() {
    Reply reply;
    SendOutcome o = Exchange("EHLO " + helo_, "EHLO", 2, true, &reply);
    bool needs_extensions = s_.security == SmtpSecurity::kStartTls || !s_.username.empty();
    if (!o.ok() && reply.code >= 500 && in_sync_ && !needs_extensions) {
      // An old server without ESMTP: plain HELO is enough to send.
      extensions_.clear();
      return Exchange("HELO " + helo_, "HELO", 2);
    }
    if (!o.ok()) return o;
    extensions_.clear();
    for (size_t i = 1; i < reply.lines.size(); ++i) {
      std::string line = reply.lines[i];
      // Some servers still announce "AUTH=LOGIN PLAIN" (pre-RFC 4954 clients looked for it).
      if (Upper(line).starts_with("AUTH=")) line[4] = ' ';
      size_t space = line.find(' ');
      std::string keyword = Upper(line.substr(0, space));
      extensions_[keyword] = space == std::string::npos ? "" : Upper(line.substr(space + 1));
    }
    return o;
  }

  SendOutcome Authenticate() {
    if (s_.username.empty()) return SendOutcome::Delivered();
    // AUTH sends the password, so it waits for TLS. The exception is security = "none": the
    // admin chose plain text (a relay on localhost, say), and the credentials go as configured.
    if (!stream_.encrypted() && s_.security != SmtpSecurity::kNone)
      return SendOutcome::Permanent("smtp: refusing to send the password without TLS");
    auto auth = extensions_.find("AUTH");
    if (auth == extensions_.end())
      return SendOutcome::Permanent("smtp: a username is set but the server does not offer AUTH");
    std::string mechanisms = " " + auth->second + " ";
    if (mechanisms.find(" PLAIN ") != std::string::npos) {
      std::string credentials = std::string(1, '\0') + s_.username + '\0' + s_.password;
      return Exchange("AUTH PLAIN " + notify_internal::Base64(credentials), "AUTH PLAIN", 2);
    }
    if (mechanisms.find(" LOGIN ") != std::string::npos) {
      if (SendOutcome o = Exchange("AUTH LOGIN", "AUTH LOGIN", 3); !o.ok()) return o;
      if (SendOutcome o = Exchange(notify_internal::Base64(s_.username), "AUTH LOGIN", 3); !o.ok())
        return o;
      return Exchange(notify_internal::Base64(s_.password), "AUTH LOGIN", 2);
    }
    return SendOutcome::Permanent(
        fmt::format("smtp: the server offers AUTH {} but dogwatch speaks only PLAIN and LOGIN",
                    Printable(auth->second)));
  }

  // Sends `line` (none for the greeting), reads the reply and expects its first digit to be
  // `expected`. `what` names the step in errors; it never holds credentials.
  SendOutcome Exchange(std::string_view line, std::string_view what, int expected,
                       bool add_crlf = true, Reply* reply_out = nullptr) {
    if (!line.empty()) {
      Status s = stream_.Write(add_crlf ? std::string(line) + "\r\n" : std::string(line));
      if (!s) return Failed(what, s.error());
    }
    Reply reply;
    if (SendOutcome o = ReadReply(what, &reply); !o.ok()) return o;
    if (reply_out != nullptr) *reply_out = reply;
    if (reply.code / 100 == expected) return SendOutcome::Delivered();
    std::string error = fmt::format("smtp: {}: {}", what, reply.Quote());
    if (reply.code >= 500) return SendOutcome::Permanent(std::move(error));
    return SendOutcome::Transient(std::move(error));  // 4xx, or a reply out of sequence
  }

  SendOutcome ReadReply(std::string_view what, Reply* reply) {
    in_sync_ = false;
    std::string line;
    for (;;) {
      if (Status s = stream_.ReadLine(&line, kMaxReplyLineBytes); !s)
        return Failed(what, s.error());
      if (!IsReplyLine(line))
        return SendOutcome::Transient(
            fmt::format("smtp: {}: not an SMTP reply: \"{}\"", what, Printable(line)));
      int code = std::stoi(line.substr(0, 3));
      if (!reply->lines.empty() && code != reply->code)
        return SendOutcome::Transient(
            fmt::format("smtp: {}: reply codes change mid-reply: \"{}\"", what, Printable(line)));
      reply->code = code;
      reply->lines.push_back(line.size() > 4 ? line.substr(4) : "");
      if (line.size() == 3 || line[3] == ' ') break;
      if (reply->lines.size() >= kMaxReplyLines)
        return SendOutcome::Transient(
            fmt::format("smtp: {}: a reply of more than {} lines", what, kMaxReplyLines));
    }
    in_sync_ = true;
    return SendOutcome::Delivered();
  }

  // A transport failure: transient, unless it is our configuration (an unreadable ca_file).
  SendOutcome Failed(std::string_view what, const Error& error) {
    in_sync_ = false;
    std::string text = fmt::format("smtp: {}: {}", what, error.message);
    if (error.message == "timed out") text += fmt::format(" (timeout {} s)", s_.timeout.count());
    if (error.code == Errc::kInvalidArgument) return SendOutcome::Permanent(std::move(text));
    return SendOutcome::Transient(std::move(text));
  }

  // Best effort, briefly: the outcome is already decided.
  void Quit() {
    stream_.ShortenDeadline(SmtpStream::Clock::now() + kQuitGrace);
    if (!stream_.Write("QUIT\r\n")) return;
    std::string line;
    (void)stream_.ReadLine(&line, kMaxReplyLineBytes);
  }

  const SmtpSettings& s_;
  SmtpStream stream_;
  std::string helo_;
  std::map<std::string, std::string> extensions_;  // EHLO keyword -> parameters, upper case
  bool in_sync_ = false;  // the last reply was read whole: the server waits for a command
};

std::string DomainOf(std::string_view address) {
  size_t at = address.rfind('@');
  std::string domain(at == std::string_view::npos ? "" : address.substr(at + 1));
  bool ok = !domain.empty();
  for (unsigned char c : domain) ok = ok && (std::isalnum(c) || c == '.' || c == '-');
  return ok ? domain : "localhost";
}

}  // namespace

SendOutcome SendMail(const SmtpSettings& settings, const MailMessage& message, TimePoint now) {
  if (settings.host.empty())
    return SendOutcome::Permanent("email is not configured: set [smtp] host in the config file");
  if (message.to.empty()) return SendOutcome::Permanent("smtp: the message has no recipients");
  std::string from(notify_internal::AddressOf(settings.from));
  if (!IsSafeAddress(from))
    return SendOutcome::Permanent(
        fmt::format("smtp: invalid from address \"{}\"", Printable(from)));
  for (const std::string& address : message.to) {
    if (!IsSafeAddress(address))
      return SendOutcome::Permanent(
          fmt::format("smtp: invalid recipient address \"{}\"", Printable(address)));
  }
  std::string message_id = fmt::format("<{}@{}>", RandomAlnum(24), DomainOf(from));
  std::string mime = FormatMime(settings, message, now, message_id);
  Conversation conversation(settings, SmtpStream::Clock::now() + settings.timeout);
  return conversation.Run(from, message.to, mime);
}

}  // namespace dogwatch
