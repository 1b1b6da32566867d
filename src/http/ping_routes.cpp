// The Pinging API (reference §1): /ping/<uuid>[/start|/fail|/log|/<0-255>] and
// /ping/<ping-key>/<slug>[...], any method. Bodies are streamed: only the first ping_body_limit
// bytes are kept, the rest is read and dropped, so a large body is truncated, never refused.
#include "routes.h"

#include "dogwatch/core/log.h"
#include "dogwatch/ingest/ping.h"
#include "ping_response.h"

namespace dogwatch::http_internal {
namespace {

constexpr auto kAckTimeout = std::chrono::seconds(10);

void SetPingHeaders(const HttpContext& ctx, httplib::Response& res, bool success) {
  res.set_header("Cache-Control", std::string(kPingCacheControl));
  if (success) {
    res.set_header("Access-Control-Allow-Origin", "*");
    res.set_header("Ping-Body-Limit", std::to_string(ctx.config->storage.ping_body_limit));
  }
}

void HandlePing(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res,
                std::string body) {
  RawPing raw;
  raw.method = req.method;
  raw.path = req.path;
  if (req.has_param("rid")) raw.rid_param = req.get_param_value("rid");
  if (req.has_param("create")) raw.create_param = req.get_param_value("create");
  raw.peer_addr = req.remote_addr;
  raw.forwarded_for = req.get_header_value("X-Forwarded-For");
  raw.forwarded_proto = req.get_header_value("X-Forwarded-Proto");
  raw.user_agent = req.get_header_value("User-Agent");
  raw.body = std::move(body);
  raw.body_limit = static_cast<size_t>(ctx.config->storage.ping_body_limit);
  raw.trusted_proxies = &ctx.trusted_proxies;
  raw.tls = req.ssl != nullptr;  // [server.tls]: the ping's scheme is https

  auto event = Classify(raw);
  Result<PingAck> ack = event ? AwaitFor(ctx.monitor->SubmitPing(*std::move(event)), kAckTimeout)
                              : Result<PingAck>(event.error());
  PingAnswer answer = AnswerFor(ack);
  if (answer.unavailable) {
    log::Error("ping_unavailable path={} error={}", log::Quote(RedactPath(req.path)),
               log::Quote(answer.error));
  }
  res.status = answer.status;
  SetPingHeaders(ctx, res, answer.success);
  res.set_content(answer.body, std::string(kPingContentType));
}

}  // namespace

bool TryFastPing(const HttpContext& ctx, const httplib::Request& req, httplib::Response& res) {
  // cpp-httplib reads no body for these methods, so the ping is complete here, and answering
  // before routing skips its std::regex matching (most of its per-request cost).
  if (req.path.rfind("/ping/", 0) != 0) return false;
  if (req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS") return false;
  HandlePing(ctx, req, res, std::string());
  return true;
}

void RegisterPingRoutes(httplib::Server& server, const HttpContext& ctx) {
  static constexpr const char* kPattern = R"(/ping/.*)";
  auto plain = [&ctx](const httplib::Request& req, httplib::Response& res) {
    HandlePing(ctx, req, res, req.body);
  };
  auto streamed = [&ctx](const httplib::Request& req, httplib::Response& res,
                         const httplib::ContentReader& reader) {
    const size_t limit = static_cast<size_t>(ctx.config->storage.ping_body_limit);
    std::string body;
    reader([&](const char* data, size_t len) {
      if (body.size() < limit) body.append(data, std::min(len, limit - body.size()));
      return true;  // keep reading: the client gets its answer only after the whole body
    });
    HandlePing(ctx, req, res, std::move(body));
  };
  server.Get(kPattern, plain);  // also HEAD
  server.Options(kPattern, plain);
  server.Post(kPattern, streamed);
  server.Put(kPattern, streamed);
  server.Patch(kPattern, streamed);
  server.Delete(kPattern, streamed);
}

}  // namespace dogwatch::http_internal
