// Self-monitoring ([heartbeat] in the config): a thread that requests an external URL every
// interval while this process's monitor loop is alive. Nothing inside dogwatch can report
// dogwatch's own death, so a dead man's switch elsewhere has to; the pings stopping is the signal.
//
// DESIGN: "alive" is the monitor loop having run within kStaleAfter (it runs at least once a
// second), the same signal systemd's watchdog gets. A hung monitor thread therefore stops the
// heartbeat even though the HTTP server and this thread still work; a ping that went out anyway
// would hide exactly the failure it exists to report.
//
// Threading: construct, Start() and Stop() on one thread; MarkAlive() from any thread (the
// monitor's); the requests run on the heartbeat's own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace dogwatch {

struct HeartbeatOptions {
  std::string url;
  std::chrono::seconds interval{60};
  std::string user_agent = "dogwatch";
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds send_timeout{10};
};

class Heartbeat {
 public:
  static constexpr std::chrono::seconds kStaleAfter{5};

  explicit Heartbeat(HeartbeatOptions options);
  ~Heartbeat();  // Stop()s
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  // The first request goes out at once, then one every interval. No-op without a url.
  void Start();
  // Returns promptly. A request in flight is cut through AbortAllHttpSends(), which cuts every
  // HTTP send in the process: call this after the notifier has stopped.
  void Stop();
  // The monitor loop ran just now.
  void MarkAlive();

 private:
  void Run();
  bool Alive() const;

  HeartbeatOptions options_;
  std::atomic<int64_t> last_alive_ms_{0};  // steady clock
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

}  // namespace dogwatch
