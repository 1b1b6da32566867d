// systemd's notification protocol (sd_notify(3)) without libsystemd: one datagram per message to
// the AF_UNIX socket named by $NOTIFY_SOCKET ("@name" is the abstract namespace). READY=1 once
// listening, STOPPING=1 on shutdown, STATUS= lines, and WATCHDOG=1 keep-alives at half of
// $WATCHDOG_USEC. Without NOTIFY_SOCKET every call does nothing. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

namespace dogwatch {

class SdNotifier {
 public:
  // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment.
  SdNotifier();
  ~SdNotifier();
  SdNotifier(const SdNotifier&) = delete;
  SdNotifier& operator=(const SdNotifier&) = delete;

  bool enabled() const { return fd_ >= 0; }
  void Send(std::string_view message);
  // WATCHDOG=1 when half the watchdog interval has passed since the last one. Cheap when not:
  // meant to be called from a loop that turns often (the monitor's).
  void WatchdogTick();
  std::chrono::microseconds watchdog_interval() const { return watchdog_; }

 private:
  int fd_ = -1;
  std::string address_;
  std::chrono::microseconds watchdog_{0};
  std::atomic<int64_t> last_keepalive_us_{0};
};

}  // namespace dogwatch
