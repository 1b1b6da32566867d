// The front's loop: accepting, epoll events, the monitor's answers, deadlines and stopping.
// What happens to one connection's bytes is in front_conn.cpp.
#include "front.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "dogwatch/core/log.h"
#include "front_impl.h"

namespace dogwatch::http_internal {
namespace {

// epoll data for the loop's own descriptors; connections use slot | id << 32.
constexpr uint64_t kListenTag = ~uint64_t{0};
constexpr uint64_t kWakeTag = ~uint64_t{0} - 1;
constexpr uint64_t kStopTag = ~uint64_t{0} - 2;
constexpr auto kSweepEvery = std::chrono::milliseconds(100);
constexpr int kMaxEvents = 256;
// Accepts per listener event, so a flood of new connections cannot starve the open ones.
constexpr int kAcceptBurst = 64;
constexpr size_t kReadChunk = 16 * 1024;

uint64_t Tag(const Conn& c) { return c.slot | (uint64_t{c.id} << 32); }

bool AddToEpoll(int epoll_fd, int fd, uint32_t events, uint64_t data) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = data;
  return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) == 0;
}

// The numeric address as cpp-httplib reports it (getnameinfo with NI_NUMERICHOST); inet_ntop
// gives the same text for IPv4 and is several times cheaper.
void PeerOf(const sockaddr_storage& addr, std::string& ip, int& port) {
  char text[NI_MAXHOST] = "";
  if (addr.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    getnameinfo(reinterpret_cast<const sockaddr*>(&addr), sizeof a, text, sizeof text, nullptr, 0,
                NI_NUMERICHOST);
    port = ntohs(a.sin6_port);
  }
  ip = text;
}

}  // namespace

Front::Impl::Impl(const HttpContext& c, int listen, HandOff h)
    : ctx(c), hand_off(std::move(h)), listen_fd(listen) {
  const ServerConfig& sc = ctx.config->server;
  keep_alive_timeout = sc.keep_alive_timeout;
  read_timeout = sc.read_timeout;
  write_timeout = sc.write_timeout;
  keep_alive_max = sc.keep_alive_max_requests;
  access_log = ctx.config->log.access_log;
  body_limit = static_cast<size_t>(ctx.config->storage.ping_body_limit);
  keep_alive_value = "timeout=" + std::to_string(sc.keep_alive_timeout.count()) +
                     ", max=" + std::to_string(sc.keep_alive_max_requests);
  body_limit_value = std::to_string(ctx.config->storage.ping_body_limit);
  stop_event = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  read_buf.resize(kReadChunk);
}

Front::Impl::~Impl() {
  for (auto& c : conns)
    if (c && c->fd >= 0) close(c->fd);
  for (int fd : {listen_fd, epoll_fd, wake_fd, stop_event})
    if (fd >= 0) close(fd);
}

bool Front::Impl::Run() {
  epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd < 0 || wake_fd < 0 || stop_event < 0 || listen_fd < 0 || !ctx.monitor) return false;
  fcntl(listen_fd, F_SETFL, fcntl(listen_fd, F_GETFL) | O_NONBLOCK);
  if (!AddToEpoll(epoll_fd, listen_fd, EPOLLIN, kListenTag) ||
      !AddToEpoll(epoll_fd, wake_fd, EPOLLIN, kWakeTag) ||
      !AddToEpoll(epoll_fd, stop_event, EPOLLIN, kStopTag))
    return false;
  epoll_event events[kMaxEvents];
  now = SteadyClock::now();
  next_sweep = now + kSweepEvery;
  while (!stopping || live > 0) {
    int timeout = (live > 0 || accept_paused) ? static_cast<int>(kSweepEvery.count()) : -1;
    if (!again.empty()) timeout = 0;
    int n = epoll_wait(epoll_fd, events, kMaxEvents, timeout);
    if (n < 0 && errno != EINTR) {
      log::Error("http_front_failed error={}", log::Quote(std::strerror(errno)));
      return false;
    }
    now = SteadyClock::now();
    for (int i = 0; i < n; ++i) OnEvent(events[i].data.u64, events[i].events);
    again_taken.clear();
    again_taken.swap(again);
    for (uint64_t tag : again_taken) OnEvent(tag, 0);
    if (now >= next_sweep) {
      Sweep();
      next_sweep = now + kSweepEvery;
    }
    if (!pending.empty()) ctx.monitor->SubmitPings(pending);
  }
  return true;
}

void Front::Impl::OnEvent(uint64_t data, uint32_t events) {
  if (data == kListenTag) return AcceptAll();
  if (data == kWakeTag) return DrainAcks();
  if (data == kStopTag) return BeginStop();
  uint32_t slot = static_cast<uint32_t>(data);
  if (slot >= conns.size()) return;
  Conn& c = *conns[slot];
  if (c.fd < 0 || c.id != static_cast<uint32_t>(data >> 32)) return;  // closed since
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) c.readable = true;
  Pump(c);
}

void Front::Impl::AcceptAll() {
  for (int i = 0; i < kAcceptBurst && !stopping; ++i) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    int fd =
        accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      // The request usually came with the connection: read it now rather than after a round
      // trip through epoll.
      Pump(NewConn(fd, addr));
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
      // Out of descriptors: stop listening until the next sweep instead of spinning on it.
      epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
      accept_paused = true;
    }
    return;  // EAGAIN: the backlog is empty
  }
}

Conn& Front::Impl::NewConn(int fd, const sockaddr_storage& addr) {
  uint32_t slot;
  if (!free_slots.empty()) {
    slot = free_slots.back();
    free_slots.pop_back();
  } else {
    slot = static_cast<uint32_t>(conns.size());
    conns.push_back(std::make_unique<Conn>());
  }
  Conn& c = *conns[slot];
  c.fd = fd;
  c.slot = slot;
  c.id = ++next_id;
  c.state = ConnState::kIdle;
  // cpp-httplib waits keep_alive_timeout for a connection's first request as for later ones.
  c.deadline = now + keep_alive_timeout;
  c.registered = c.want_write = c.peer_eof = c.close_after_write = false;
  c.readable = true;
  PeerOf(addr, c.peer_addr, c.peer_port);
  c.requests_left = keep_alive_max;
  c.in.clear();
  c.in_pos = c.scanned = 0;
  c.out.clear();
  c.out_pos = 0;
  ++live;
  return c;
}

void Front::Impl::Register(Conn& c) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  if (c.want_write) ev.events |= EPOLLOUT;
  ev.data.u64 = Tag(c);
  if (epoll_ctl(epoll_fd, c.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, c.fd, &ev) == 0) {
    c.registered = true;
  } else {
    log::Error("http_front_epoll error={}", log::Quote(std::strerror(errno)));
    Close(c);
  }
}

void Front::Impl::Close(Conn& c) {
  close(c.fd);  // also leaves the epoll set
  c.fd = -1;
  c.raw = RawPing{};
  // Keep the buffers' memory for the slot's next connection, unless a large body grew them.
  if (c.in.capacity() > kReadChunk) std::string().swap(c.in);
  free_slots.push_back(c.slot);
  --live;
}

void Front::Impl::HandOffConn(Conn& c) {
  if (c.registered) epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr);
  HandedOff h;
  h.fd = c.fd;
  h.buffered = std::string(c.Unread());
  h.peer_addr = c.peer_addr;
  h.peer_port = c.peer_port;
  h.requests_left = c.requests_left;
  if (c.state == ConnState::kHead) h.read_deadline = c.deadline;
  c.fd = -1;
  c.raw = RawPing{};
  free_slots.push_back(c.slot);
  --live;
  hand_off(std::move(h));
}

// Monitor thread (or the submitting loop thread when the monitor refuses): queue and wake.
void Front::Impl::OnAck(uint64_t token, Result<PingAck> result) {
  bool first;
  {
    std::lock_guard lock(acks_mu);
    first = acks.empty();
    acks.push_back(Ack{token, std::move(result)});
  }
  // One wake-up per batch of answers: the loop takes the whole queue when it wakes.
  if (first) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(wake_fd, &one, sizeof one);
  }
}

void Front::Impl::DrainAcks() {
  uint64_t count;
  // Read the eventfd before taking the queue, so an answer queued after the take wakes us again.
  [[maybe_unused]] ssize_t n = read(wake_fd, &count, sizeof count);
  acks_taken.clear();
  {
    std::lock_guard lock(acks_mu);
    acks_taken.swap(acks);
  }
  for (Ack& ack : acks_taken) {
    uint32_t slot = static_cast<uint32_t>(ack.token);
    if (slot >= conns.size()) continue;
    Conn& c = *conns[slot];
    if (c.fd < 0 || c.state != ConnState::kAwaitAck ||
        c.seq != static_cast<uint32_t>(ack.token >> 32))
      continue;  // answered 503 already, or gone
    Answer(c, ack.result);
    Pump(c);
  }
}

void Front::Impl::BeginStop() {
  if (stopping) return;
  stopping = true;
  // The stop eventfd stays readable: take it out, or every wait would return at once.
  epoll_ctl(epoll_fd, EPOLL_CTL_DEL, stop_event, nullptr);
  epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
  close(listen_fd);  // new connections are refused from here on
  listen_fd = -1;
  for (auto& p : conns) {
    Conn& c = *p;
    if (c.fd >= 0 && c.state == ConnState::kIdle && c.Unread().empty()) Close(c);
  }
}

void Front::Impl::Sweep() {
  if (accept_paused && !stopping && AddToEpoll(epoll_fd, listen_fd, EPOLLIN, kListenTag))
    accept_paused = false;
  for (auto& p : conns) {
    Conn& c = *p;
    if (c.fd >= 0 && c.deadline <= now) OnDeadline(c);
  }
}

Front::Front(const HttpContext& ctx, int listen_fd, HandOff hand_off)
    : impl_(std::make_unique<Impl>(ctx, listen_fd, std::move(hand_off))) {}

Front::~Front() = default;

bool Front::Run() { return impl_->Run(); }

void Front::Stop() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(impl_->stop_event, &one, sizeof one);
}

int Front::stop_fd() const { return impl_->stop_event; }

}  // namespace dogwatch::http_internal
