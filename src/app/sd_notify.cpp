#include "sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "dogwatch/core/log.h"

namespace dogwatch {
namespace {

int64_t SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

SdNotifier::SdNotifier() {
  const char* socket_path = std::getenv("NOTIFY_SOCKET");
  if (!socket_path || !*socket_path || (socket_path[0] != '/' && socket_path[0] != '@')) return;
  address_ = socket_path;
  if (address_.size() >= sizeof(sockaddr_un{}.sun_path)) {
    log::Warn("sd_notify_disabled reason={}", log::Quote("NOTIFY_SOCKET is too long"));
    return;
  }
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    log::Warn("sd_notify_disabled reason={}", log::Quote(std::strerror(errno)));
    return;
  }
  // The watchdog applies to us only when WATCHDOG_PID is absent or names this process.
  const char* usec = std::getenv("WATCHDOG_USEC");
  const char* pid = std::getenv("WATCHDOG_PID");
  if (usec && (!pid || std::strtol(pid, nullptr, 10) == ::getpid())) {
    long long v = std::strtoll(usec, nullptr, 10);
    if (v > 0) watchdog_ = std::chrono::microseconds(v);
  }
}

SdNotifier::~SdNotifier() {
  if (fd_ >= 0) ::close(fd_);
}

void SdNotifier::Send(std::string_view message) {
  if (fd_ < 0) return;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, address_.data(), address_.size());
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';  // abstract namespace
  socklen_t len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + address_.size());
  if (::sendto(fd_, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&addr), len) < 0)
    log::Debug("sd_notify_failed error={}", log::Quote(std::strerror(errno)));
}

void SdNotifier::WatchdogTick() {
  if (fd_ < 0 || watchdog_.count() == 0) return;
  int64_t now = SteadyMicros(), last = last_keepalive_us_.load(std::memory_order_relaxed);
  if (now - last < watchdog_.count() / 2) return;
  last_keepalive_us_.store(now, std::memory_order_relaxed);
  Send("WATCHDOG=1");
}

}  // namespace dogwatch
