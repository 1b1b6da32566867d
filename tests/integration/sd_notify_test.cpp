// systemd's notify protocol against the real binary: a datagram socket stands in for systemd,
// named by NOTIFY_SOCKET. READY=1 once listening, WATCHDOG=1 keep-alives from the monitor's loop
// that stop while the monitor hangs (a test-only stall) and come back after, STOPPING=1 at the end.
#include <doctest/doctest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "integration/fixture.h"

using namespace dwtest;
using namespace std::chrono_literals;

namespace {

struct FakeSystemd {
  TempDir dir;
  std::string path = dir / "notify.sock";
  int fd = -1;

  FakeSystemd() {
    fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    REQUIRE(path.size() < sizeof addr.sun_path);
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~FakeSystemd() { ::close(fd); }

  // Every datagram that arrives within `window`.
  std::vector<std::string> Receive(std::chrono::milliseconds window) {
    std::vector<std::string> out;
    auto end = std::chrono::steady_clock::now() + window;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n > 0) out.emplace_back(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // Waits up to `deadline` for a datagram containing `text`.
  bool WaitFor(const std::string& text, std::chrono::milliseconds deadline) {
    auto end = std::chrono::steady_clock::now() + deadline;
    while (std::chrono::steady_clock::now() < end)
      for (const auto& m : Receive(200ms))
        if (m.find(text) != std::string::npos) return true;
    return false;
  }
};

int Count(const std::vector<std::string>& messages, const std::string& text) {
  int n = 0;
  for (const auto& m : messages) n += m.find(text) != std::string::npos;
  return n;
}

}  // namespace

TEST_CASE("sd_notify: READY, watchdog keep-alives that stop while the monitor hangs, STOPPING") {
  FakeSystemd systemd;
  // Keep-alives every second (half of WATCHDOG_USEC); the monitor stalls 8 s on a batch with a ping.
  Server s({.env = {"NOTIFY_SOCKET=" + systemd.path, "WATCHDOG_USEC=2000000", "DOGWATCH_TEST_MONITOR_STALL_MS=8000"}});
  REQUIRE(systemd.WaitFor("READY=1", 10s));

  auto healthy = systemd.Receive(3500ms);
  CHECK(Count(healthy, "WATCHDOG=1") >= 2);  // one a second, for 3.5 s

  // Any ping makes the monitor hang for 8 s (the test-only fault). Nothing needs to exist: the
  // stall comes before the look-up.
  std::thread ping([&] { s.Client().Get("/ping/0a1b2c3d-1111-4222-8333-444455556666"); });
  std::this_thread::sleep_for(1500ms);
  systemd.Receive(1ms);  // drop what was sent before the hang began
  auto hung = systemd.Receive(3500ms);
  CHECK(Count(hung, "WATCHDOG=1") == 0);

  // The stall ends about 8 s after the ping: keep-alives resume.
  CHECK(systemd.WaitFor("WATCHDOG=1", 10s));
  ping.join();

  CHECK(s.Stop() == 0);
  auto last = systemd.Receive(500ms);
  CHECK(Count(last, "STOPPING=1") == 1);
}

TEST_CASE("sd_notify: without NOTIFY_SOCKET nothing is sent and the server runs as before") {
  Server s;
  CHECK(s.Client().Get("/api/v3/status")->status == 200);
  CHECK(s.Log().find("sd_notify") == std::string::npos);
}
