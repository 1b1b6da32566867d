#include "ping_client.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "dogwatch/core/ids.h"
#include "version.h"

namespace dogwatch::cli {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kConnectTimeout{3'000};
constexpr milliseconds kFirstBackoff{500};
constexpr milliseconds kMaxBackoff{8'000};
// How long PingInFlight::Wait() gives a try past its own timeout before leaving it behind.
constexpr milliseconds kWaitSlack{2'000};

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool IsHttpUrl(std::string_view url) {
  return StartsWith(url, "http://") || StartsWith(url, "https://");
}

// Healthchecks' slug route: [-a-zA-Z0-9_]+.
bool IsSlugText(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_';
  });
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string TrimSlashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

struct SplitUrl {
  std::string origin;  // scheme://authority
  std::string path;    // from the first '/' after the authority, with the query; "/" if none
};

SplitUrl Split(const std::string& url) {
  auto scheme_end = url.find("://");
  auto path_start = url.find_first_of("/?", scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (path_start == std::string::npos) return {url, "/"};
  std::string path = url.substr(path_start);
  if (path[0] == '?') path.insert(0, "/");
  return {url.substr(0, path_start), path};
}

// Network failures, 5xx and 429 may pass; other answers will not change on a retry.
bool Retriable(int status) { return status == 0 || status == 429 || status >= 500; }

std::string TransportError(httplib::Error err, milliseconds elapsed, milliseconds connect_timeout,
                           milliseconds read_timeout) {
  switch (err) {
    case httplib::Error::Connection:
      return elapsed + milliseconds(100) >= connect_timeout ? "connect timed out"
                                                            : "connection refused";
    case httplib::Error::Read:
      return elapsed + milliseconds(100) >= read_timeout
                 ? fmt::format("no answer within {:.1f} s", read_timeout.count() / 1000.0)
                 : "connection closed without an answer";
    case httplib::Error::Write:
      return "cannot send the request";
    case httplib::Error::SSLConnection:
      return "TLS handshake failed";
    case httplib::Error::SSLServerVerification:
      return "TLS certificate verification failed";
    default:
      return httplib::to_string(err);
  }
}

std::string FirstLine(const std::string& s) {
  std::string line = s.substr(0, s.find('\n'));
  if (line.size() > 100) line = line.substr(0, 100) + "...";
  return line;
}

std::string Tries(int n) { return n == 1 ? "1 try" : fmt::format("{} tries", n); }

}  // namespace

bool LooksLikeUuid(std::string_view text) { return IsCanonicalUuid(Lower(std::string(text))); }

Result<std::string> ResolvePingUrl(const PingTarget& t) {
  int given = !t.uuid.empty() + !t.slug.empty() + !t.ping_url.empty();
  if (given != 1)
    return Fail(Errc::kInvalidArgument, "give exactly one of --uuid, --slug and --ping-url");
  if (!t.ping_url.empty()) {
    if (!IsHttpUrl(t.ping_url))
      return Fail(Errc::kInvalidArgument, "--ping-url must start with http:// or https://");
    return TrimSlashes(t.ping_url);
  }
  if (t.base_url.empty())
    return Fail(Errc::kInvalidArgument, "{} needs --url or DOGWATCH_URL (the server's base URL)",
                t.uuid.empty() ? "--slug" : "--uuid");
  if (!IsHttpUrl(t.base_url))
    return Fail(Errc::kInvalidArgument, "--url must start with http:// or https://, got '{}'",
                t.base_url);
  std::string base = TrimSlashes(t.base_url);
  if (!t.uuid.empty()) {
    if (!LooksLikeUuid(t.uuid))
      return Fail(Errc::kInvalidArgument, "--uuid: '{}' is not a UUID", t.uuid);
    return base + "/ping/" + Lower(t.uuid);
  }
  if (!IsSlugText(t.slug))
    return Fail(Errc::kInvalidArgument, "--slug: '{}' is not a slug (letters, digits, - and _)",
                t.slug);
  if (t.ping_key.empty())
    return Fail(Errc::kInvalidArgument, "--slug needs --ping-key or DOGWATCH_PING_KEY");
  if (!IsSlugText(t.ping_key))
    return Fail(Errc::kInvalidArgument, "--ping-key: not a ping key (letters, digits, - and _)");
  return base + "/ping/" + t.ping_key + "/" + t.slug;
}

std::string PingUrlFor(const std::string& url, std::string_view suffix, std::string_view rid,
                       bool create) {
  auto q = url.find('?');
  std::string path = url.substr(0, q);
  std::string query = q == std::string::npos ? "" : url.substr(q + 1);
  if (!suffix.empty()) path = TrimSlashes(path) + "/" + std::string(suffix);
  auto add = [&query](std::string_view param) {
    if (!query.empty()) query += "&";
    query += param;
  };
  if (!rid.empty()) add("rid=" + std::string(rid));
  if (create) add("create=1");
  return query.empty() ? path : path + "?" + query;
}

std::string RedactUrl(std::string_view url) {
  std::string out;
  size_t start = 0;
  auto scheme = url.find("://");
  if (scheme != std::string_view::npos) start = url.find('/', scheme + 3);
  if (start == std::string_view::npos) return std::string(url);
  out = url.substr(0, start);
  auto query = url.find('?', start);
  std::string_view path =
      url.substr(start, query == std::string_view::npos ? query : query - start);
  while (!path.empty()) {
    path.remove_prefix(1);  // the '/'
    auto seg = path.substr(0, path.find('/'));
    out += "/";
    out += seg.size() >= 16 ? std::string(seg.substr(0, 8)) + "..." : std::string(seg);
    path.remove_prefix(seg.size());
  }
  // The query (rid, create) holds no secret.
  if (query != std::string_view::npos) out += url.substr(query);
  return out;
}

PingOutcome SendPing(const PingMessage& msg) {
  PingOutcome out;
  const auto deadline = Clock::now() + msg.timeout;
  const SplitUrl where = Split(msg.url);
  const std::string shown = RedactUrl(msg.url);
  httplib::Headers headers{{"User-Agent", fmt::format("dogwatch/{}", kVersion)}};
  milliseconds backoff = kFirstBackoff;
  std::string last_error;
  for (;;) {
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (remaining <= milliseconds(0)) break;
    httplib::Client client(where.origin);
    auto connect = std::min(kConnectTimeout, remaining);
    client.set_connection_timeout(connect);
    client.set_read_timeout(remaining);
    client.set_write_timeout(remaining);
    ++out.tries;
    auto began = Clock::now();
    auto res = client.Post(where.path.c_str(), headers, msg.body, "text/plain");
    if (res) {
      out.status = res->status;
      if (res->has_header("Ping-Body-Limit")) {
        try {
          out.body_limit = std::stoul(res->get_header_value("Ping-Body-Limit"));
        } catch (const std::exception&) {
        }
      }
      if (res->status >= 200 && res->status < 300) {
        out.ok = true;
        return out;
      }
      last_error = fmt::format("HTTP {} {}", res->status, FirstLine(res->body));
      if (!Retriable(res->status)) {
        out.error = fmt::format("{}: {}", shown, last_error);
        return out;
      }
    } else {
      out.status = 0;
      auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - began);
      last_error = TransportError(res.error(), elapsed, connect, remaining);
      if (res.error() == httplib::Error::SSLServerVerification) break;
    }
    if (Clock::now() + backoff >= deadline) break;
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
  if (out.tries == 0) last_error = "no time left to try";
  out.error = out.status == 0
                  ? fmt::format("could not reach {}: {} ({})", shown, last_error, Tries(out.tries))
                  : fmt::format("{}: {} ({})", shown, last_error, Tries(out.tries));
  return out;
}

struct PingInFlight::Shared {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<PingOutcome> outcome;
};

PingInFlight::PingInFlight(PingMessage msg)
    : shared_(std::make_shared<Shared>()),
      deadline_(Clock::now() + msg.timeout + kWaitSlack),
      display_url_(RedactUrl(msg.url)) {
  std::thread([shared = shared_, msg = std::move(msg)] {
    PingOutcome outcome = SendPing(msg);
    std::lock_guard lock(shared->mu);
    shared->outcome = std::move(outcome);
    shared->cv.notify_all();
  }).detach();
}

PingOutcome PingInFlight::Wait() {
  std::unique_lock lock(shared_->mu);
  if (shared_->cv.wait_until(lock, deadline_, [this] { return shared_->outcome.has_value(); }))
    return *shared_->outcome;
  abandoned_ = true;
  PingOutcome out;
  out.error = fmt::format("could not reach {}: no answer in time (stuck resolving or connecting)",
                          display_url_);
  return out;
}

}  // namespace dogwatch::cli
