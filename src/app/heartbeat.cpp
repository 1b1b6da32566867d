#include "heartbeat.h"

#include "dogwatch/core/counters.h"
#include "dogwatch/core/log.h"
#include "dogwatch/notify/http_send.h"

namespace dogwatch {
namespace {

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The URL without its path: ping URLs carry secrets (a check's UUID, a ping key).
std::string Origin(const std::string& url) {
  size_t host = url.find("://");
  size_t path = url.find_first_of("/?#", host == std::string::npos ? 0 : host + 3);
  return path == std::string::npos ? url : url.substr(0, path) + "/...";
}

}  // namespace

Heartbeat::Heartbeat(HeartbeatOptions options) : options_(std::move(options)) { MarkAlive(); }

Heartbeat::~Heartbeat() { Stop(); }

void Heartbeat::MarkAlive() { last_alive_ms_.store(SteadyMillis(), std::memory_order_relaxed); }

bool Heartbeat::Alive() const {
  return SteadyMillis() - last_alive_ms_.load(std::memory_order_relaxed) <
         std::chrono::duration_cast<std::chrono::milliseconds>(kStaleAfter).count();
}

void Heartbeat::Start() {
  if (options_.url.empty() || thread_.joinable()) return;
  log::Info("heartbeat_started url={} interval_s={}", log::Quote(Origin(options_.url)), options_.interval.count());
  thread_ = std::thread([this] {
    Run();
    finished_ = true;
  });
}

void Heartbeat::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  // A send may have begun just before stopping_ was set: cut it until the thread is out.
  while (!finished_) {
    AbortAllHttpSends();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  thread_.join();
}

void Heartbeat::Run() {
  const HttpSendOptions http{.connect_timeout = options_.connect_timeout,
                             .total_timeout = options_.send_timeout,
                             .user_agent = options_.user_agent};
  const OutboundRequest request{.method = "GET", .url = options_.url, .headers = {}, .body = {}};
  // Log lines on changes only (failing, recovered, stalled): one a minute would drown the log.
  bool failing = false, skipping = false;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    if (!Alive()) {
      CountHeartbeat(HeartbeatOutcome::kSkipped);
      if (!skipping)
        log::Error("heartbeat_skipped reason={}", log::Quote("the monitor loop has not run for 5 s"));
      skipping = true;
    } else {
      if (skipping) log::Info("heartbeat_resumed");
      skipping = false;
      SendOutcome outcome = SendHttp("webhook", request, http);
      if (outcome.ok()) {
        CountHeartbeat(HeartbeatOutcome::kSent);
        if (failing) log::Info("heartbeat_recovered url={}", log::Quote(Origin(options_.url)));
        failing = false;
      } else {
        CountHeartbeat(HeartbeatOutcome::kFailed);
        if (!failing)
          log::Warn("heartbeat_failed url={} error={}", log::Quote(Origin(options_.url)), log::Quote(outcome.error));
        failing = true;
      }
    }
    lock.lock();
    cv_.wait_for(lock, options_.interval, [this] { return stopping_; });
  }
}

}  // namespace dogwatch
