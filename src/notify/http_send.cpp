#include "dogwatch/notify/http_send.h"

#include <httplib.h>

#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include <fmt/format.h>

namespace dogwatch::notify_internal {
namespace {

// How much of a response body is kept for error messages and quirk detection.
constexpr size_t kKeepBody = 4096;

struct Target {
  std::string origin;  // scheme://host[:port], as httplib::Client takes it
  std::string path;    // path and query, at least "/"
};

// "https://host:8443/a/b?c" -> {"https://host:8443", "/a/b?c"}. Validation happened when the
// channel was saved; this only refuses what httplib could not use.
std::optional<Target> SplitUrl(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  size_t host_start = scheme_end + 3;
  size_t path_start = url.find_first_of("/?#", host_start);
  Target t;
  t.origin = url.substr(0, path_start);
  if (t.origin.size() == host_start) return std::nullopt;
  t.path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (!t.path.empty() && t.path[0] == '?') t.path.insert(0, "/");
  if (size_t hash = t.path.find('#'); hash != std::string::npos) t.path.resize(hash);
  if (t.path.empty()) t.path = "/";
  return t;
}

// Every client with a request in flight, so a deadline or shutdown can cut its socket. stop()
// is cpp-httplib's one thread-safe way to interrupt a request from another thread.
struct InFlight {
  std::mutex mu;
  std::set<httplib::Client*> clients;
};

InFlight& Registry() {
  static InFlight* registry = new InFlight;  // never destroyed: sends may outlive main's statics
  return *registry;
}

// Cuts the client's socket when the deadline passes; the destructor disarms it.
class Watchdog {
 public:
  Watchdog(httplib::Client& client, std::chrono::seconds limit) : client_(client) {
    {
      std::lock_guard<std::mutex> lock(Registry().mu);
      Registry().clients.insert(&client_);
    }
    thread_ = std::thread([this, limit] {
      std::unique_lock<std::mutex> lock(mu_);
      if (!cv_.wait_for(lock, limit, [this] { return done_; })) {
        fired_ = true;
        std::lock_guard<std::mutex> reg(Registry().mu);
        client_.stop();
      }
    });
  }
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
    std::lock_guard<std::mutex> lock(Registry().mu);
    Registry().clients.erase(&client_);
  }
  bool fired() {
    std::lock_guard<std::mutex> lock(mu_);
    return fired_;
  }

 private:
  httplib::Client& client_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

// cpp-httplib names its errors in one word ("Read"); say what happened instead.
std::string TransportError(httplib::Error error, httplib::Client& client, const Target& target,
                           const HttpSendOptions& options) {
  using E = httplib::Error;
  switch (error) {
    case E::SSLServerVerification:
      return fmt::format("TLS certificate verification failed: {}",
                         X509_verify_cert_error_string(client.get_openssl_verify_result()));
    case E::Connection: return fmt::format("cannot connect to {}", target.origin);
    case E::ConnectionTimeout:
      return fmt::format("no connection to {} within {} s", target.origin, options.connect_timeout.count());
    case E::Read: return "the connection was closed or timed out before a complete answer";
    case E::Write: return "the connection was closed while sending";
    case E::SSLConnection: return fmt::format("TLS handshake with {} failed", target.origin);
    default: return fmt::format("request failed: {}", httplib::to_string(error));
  }
}

}  // namespace
}  // namespace dogwatch::notify_internal

namespace dogwatch {
using namespace notify_internal;

void AbortAllHttpSends() {
  std::lock_guard<std::mutex> lock(Registry().mu);
  for (httplib::Client* c : Registry().clients) c->stop();
}

SendOutcome SendHttp(std::string_view kind, const OutboundRequest& request,
                     const HttpSendOptions& options) {
  auto target = SplitUrl(request.url);
  if (!target) return SendOutcome::Permanent(fmt::format("invalid URL: {}", request.url));
  httplib::Client client(target->origin);
  if (!client.is_valid()) return SendOutcome::Permanent(fmt::format("invalid URL: {}", request.url));
  client.set_connection_timeout(options.connect_timeout);
  // The watchdog owns the deadline; cpp-httplib's own timeouts sit past it, so the two never
  // race to report the same cut-off in different words.
  client.set_read_timeout(options.total_timeout + std::chrono::seconds(5));
  client.set_write_timeout(options.total_timeout + std::chrono::seconds(5));
  client.set_keep_alive(false);
  client.enable_server_certificate_verification(true);

  httplib::Request req;
  req.method = request.method;
  req.path = target->path;
  req.set_header("User-Agent", options.user_agent);
  for (const auto& [name, value] : request.headers) req.set_header(name, value);
  if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
    req.body = request.body;
  }
  std::string body;
  std::string retry_after;
  req.content_receiver = [&](const char* data, size_t len, uint64_t, uint64_t) {
    if (body.size() < kKeepBody) body.append(data, std::min(len, kKeepBody - body.size()));
    return true;
  };
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  bool sent;
  bool timed_out;
  auto started = std::chrono::steady_clock::now();
  {
    Watchdog watchdog(client, options.total_timeout);
    sent = client.send(req, res, error);
    timed_out = watchdog.fired() || std::chrono::steady_clock::now() - started >= options.total_timeout;
  }
  if (!sent) {
    if (timed_out) {
      return SendOutcome::Transient(
          fmt::format("no complete answer within {} s", options.total_timeout.count()));
    }
    return SendOutcome::Transient(TransportError(error, client, *target, options));
  }
  retry_after = res.get_header_value("Retry-After");
  return ClassifyResponse(kind, res.status, body, retry_after);
}

}  // namespace dogwatch
