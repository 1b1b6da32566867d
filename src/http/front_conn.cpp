// One connection on the front: read a head, decide (serve the ping or hand off), read its body,
// submit it, write the answer, and go round again for the next request on the connection.
// Pump() is the only driver; it loops instead of recursing, so a pipeline of requests cannot
// deepen the stack.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "dogwatch/core/log.h"
#include "front_impl.h"

namespace dogwatch::http_internal {
namespace {

// A ping whose monitor answer takes longer is answered 503, as the blocking path does.
// DOGWATCH_TEST_PING_ACK_TIMEOUT_MS shortens it, for tests only (with the monitor's
// DOGWATCH_TEST_MONITOR_STALL_MS, monitor/monitor.cpp); not a setting.
std::chrono::milliseconds AckTimeout() {
  static const std::chrono::milliseconds timeout = [] {
    const char* env = std::getenv("DOGWATCH_TEST_PING_ACK_TIMEOUT_MS");
    long ms = env ? std::strtol(env, nullptr, 10) : 0;
    return ms > 0 ? std::chrono::milliseconds(ms) : std::chrono::milliseconds(10'000);
  }();
  return timeout;
}
// After a 414/431, how long the rest of the request is read and dropped, so that closing does
// not reset the connection before the client has read the answer.
constexpr auto kLingerFor = std::chrono::seconds(2);
// Reads per connection before the loop turns to others (a fast, large body cannot hog it).
constexpr int kReadsPerTurn = 64;

}  // namespace

void Front::Impl::Pump(Conn& c) {
  int reads = 0;
  for (;;) {
    switch (c.state) {
      case ConnState::kAwaitAck:
        return;
      case ConnState::kLinger:
        return Discard(c);
      case ConnState::kWrite: {
        Flushed f = Flush(c);
        if (f == Flushed::kError) return Close(c);
        if (f == Flushed::kBlocked) {
          c.deadline = now + write_timeout;
          if (!c.want_write) {
            c.want_write = true;
            Register(c);
          }
          return;
        }
        if (c.want_write) {
          c.want_write = false;
          Register(c);
          if (c.fd < 0) return;
        }
        AfterResponse(c);
        if (c.fd < 0) return;
        continue;
      }
      case ConnState::kIdle:
      case ConnState::kHead:
      case ConnState::kBody: {
        Step s = Consume(c);
        if (s == Step::kGone) return;
        if (s == Step::kProgress) continue;
        if (c.readable && !c.peer_eof) {
          if (++reads > kReadsPerTurn) {
            again.push_back(c.slot | (uint64_t{c.id} << 32));
            return;
          }
          if (!ReadInput(c)) return Close(c);
          continue;
        }
        if (c.peer_eof) return Close(c);  // the client left mid-request, or between requests
        if (!c.registered) Register(c);
        return;
      }
    }
  }
}

Front::Impl::Step Front::Impl::Consume(Conn& c) {
  if (c.state == ConnState::kBody) {
    ConsumeBody(c);
    return c.state == ConnState::kBody ? Step::kNeedInput : Step::kProgress;
  }
  if (c.Unread().empty()) {
    if (c.state == ConnState::kIdle && stopping) {
      Close(c);
      return Step::kGone;
    }
    return Step::kNeedInput;
  }
  return ConsumeHead(c);
}

Front::Impl::Step Front::Impl::ConsumeHead(Conn& c) {
  if (c.state == ConnState::kIdle) {
    // The first byte of a request starts its whole-request read deadline (request_deadline.h).
    c.state = ConnState::kHead;
    c.deadline = now + read_timeout;
  }
  switch (ParseRequestHead(c.Unread(), c.scanned, head)) {
    case HeadStatus::kIncomplete:
      return Step::kNeedInput;
    case HeadStatus::kUnusual:
      HandOffConn(c);
      return Step::kGone;
    case HeadStatus::kUriTooLong:
      AnswerEmpty(c, 414);
      return Step::kProgress;
    case HeadStatus::kHeadersTooLarge:
      AnswerEmpty(c, 431);
      return Step::kProgress;
    case HeadStatus::kComplete:
      break;
  }
  if (!PlanPing(head, c.plan)) {
    HandOffConn(c);
    return Step::kGone;
  }
  c.started = now;
  c.raw = MakeRawPing(head, c.peer_addr, ctx);
  c.in_pos += head.size;
  c.scanned = 0;
  c.body_left = c.plan.body_bytes;
  c.state = ConnState::kBody;
  return Step::kProgress;
}

void Front::Impl::ConsumeBody(Conn& c) {
  std::string_view unread = c.Unread();
  size_t take = static_cast<size_t>(std::min<uint64_t>(unread.size(), c.body_left));
  // Keep the first body_limit bytes; read and drop the rest, as ping_routes.cpp does.
  if (c.raw.body.size() < body_limit)
    c.raw.body.append(unread.data(), std::min(take, body_limit - c.raw.body.size()));
  c.in_pos += take;
  c.body_left -= take;
  if (c.in_pos == c.in.size()) {
    c.in.clear();
    c.in_pos = 0;
  } else if (c.in_pos > kMaxRequestLineBytes) {
    c.in.erase(0, c.in_pos);
    c.in_pos = 0;
  }
  if (c.body_left == 0) Submit(c);
}

void Front::Impl::Submit(Conn& c) {
  auto event = Classify(c.raw);
  if (!event) return Answer(c, Result<PingAck>(event.error()));
  c.state = ConnState::kAwaitAck;
  c.deadline = now + AckTimeout();
  c.seq = ++next_id;
  uint64_t token = c.slot | (uint64_t{c.seq} << 32);
  // Two words of capture: std::function keeps them inline, so no allocation per ping.
  pending.push_back(
      {*std::move(event), [this, token](Result<PingAck> r) { OnAck(token, std::move(r)); }});
}

void Front::Impl::Answer(Conn& c, const Result<PingAck>& result) {
  PingAnswer answer = AnswerFor(result);
  if (answer.unavailable) {
    log::Error("ping_unavailable path={} error={}", log::Quote(RedactPath(c.raw.path)),
               log::Quote(answer.error));
  }
  ResponseFraming framing;
  framing.head = c.plan.head_method;
  // cpp-httplib says "Connection: close" on a connection's last allowed request; so do we, and
  // on every answer once stopping.
  framing.close = c.plan.close_header || c.requests_left <= 1 || stopping;
  framing.keep_alive = keep_alive_value;
  framing.body_limit = body_limit_value;
  if (c.plan.gzip && !answer.body.empty()) framing.gzip_body = gzip.Compress(answer.body);
  c.out.clear();
  c.out_pos = 0;
  AppendPingResponse(c.out, answer, framing);
  c.close_after_write = framing.close || c.plan.close_after;
  c.linger = false;
  c.state = ConnState::kWrite;
  if (access_log) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(now - c.started).count();
    log::Info("http method={} path={} status={} ms={:.1f} remote={}", c.raw.method,
              log::Quote(RedactPath(c.raw.path)), answer.status, us / 1000.0, c.peer_addr);
  }
}

void Front::Impl::AnswerEmpty(Conn& c, int status) {
  ResponseFraming framing;
  framing.close = true;
  c.out.clear();
  c.out_pos = 0;
  AppendEmptyResponse(c.out, status, framing);
  c.close_after_write = true;
  c.linger = true;
  c.state = ConnState::kWrite;
  // As cpp-httplib logs these: the request was never parsed, so no method or path.
  if (access_log)
    log::Info("http method={} path={} status={} ms={:.1f} remote={}", "", log::Quote(""), status,
              0.0, c.peer_addr);
}

bool Front::Impl::ReadInput(Conn& c) {
  ssize_t n = read(c.fd, read_buf.data(), read_buf.size());
  if (n > 0) {
    c.in.append(read_buf.data(), static_cast<size_t>(n));
    // A short read drained the socket: the next byte to arrive raises a new edge.
    if (static_cast<size_t>(n) < read_buf.size()) c.readable = false;
    return true;
  }
  if (n == 0) {
    c.peer_eof = true;
    c.readable = false;
    return true;
  }
  if (errno == EINTR) return true;
  if (errno == EAGAIN || errno == EWOULDBLOCK) {
    c.readable = false;
    return true;
  }
  return false;  // reset by the peer, or worse
}

Front::Impl::Flushed Front::Impl::Flush(Conn& c) {
  while (c.out_pos < c.out.size()) {
    ssize_t n = send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_pos += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return Flushed::kBlocked;
    } else {
      return Flushed::kError;
    }
  }
  return Flushed::kDone;
}

void Front::Impl::AfterResponse(Conn& c) {
  c.out.clear();
  c.out_pos = 0;
  if (c.linger) {
    shutdown(c.fd, SHUT_WR);
    c.state = ConnState::kLinger;
    c.deadline = now + kLingerFor;
    return;
  }
  if (c.close_after_write) return Close(c);
  --c.requests_left;
  c.state = ConnState::kIdle;
  c.scanned = 0;
  c.deadline = now + keep_alive_timeout;
}

void Front::Impl::Discard(Conn& c) {
  for (int i = 0; i < kReadsPerTurn; ++i) {
    if (!c.readable) {
      if (!c.registered) Register(c);
      return;
    }
    ssize_t n = read(c.fd, read_buf.data(), read_buf.size());
    if (n == 0) return Close(c);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      c.readable = false;
    else if (n < 0 && errno != EINTR)
      return Close(c);
  }
  again.push_back(c.slot | (uint64_t{c.id} << 32));
}

void Front::Impl::OnDeadline(Conn& c) {
  if (c.state == ConnState::kAwaitAck) {
    Answer(c, Result<PingAck>(Fail(Errc::kUnavailable, "the monitor did not answer in time")));
    return Pump(c);
  }
  // Idle past keep_alive_timeout, a request not read within read_timeout (slowloris), a write
  // that stalled, or a linger that ran out: cpp-httplib closes these without an answer too.
  Close(c);
}

}  // namespace dogwatch::http_internal
