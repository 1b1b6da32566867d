#include "request_deadline.h"

#include <sys/socket.h>

#include <cerrno>

namespace dogwatch::http_internal {
namespace {

thread_local std::chrono::milliseconds t_limit{0};  // 0: not a server worker
thread_local bool t_new_request = true;
thread_local std::chrono::steady_clock::time_point t_deadline;

}  // namespace

void EnableRequestDeadline(std::chrono::milliseconds limit) { t_limit = limit; }
void StartNextRequest() { t_new_request = true; }
void SetRequestDeadline(std::chrono::steady_clock::time_point deadline) {
  t_new_request = false;
  t_deadline = deadline;
}

// Returns true if a recv() on this thread is past its request's deadline.
bool RecvPastDeadline() {
  if (t_limit.count() == 0) return false;
  auto now = std::chrono::steady_clock::now();
  if (t_new_request) {
    t_new_request = false;
    t_deadline = now + t_limit;
    return false;
  }
  return now > t_deadline;
}

WorkerPool::WorkerPool(size_t threads, std::chrono::milliseconds request_deadline) {
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this, request_deadline] { Run(request_deadline); });
}

void WorkerPool::enqueue(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    jobs_.push_back(std::move(fn));
  }
  cv_.notify_one();
}

void WorkerPool::shutdown() {
  {
    std::lock_guard lock(mu_);
    shutdown_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void WorkerPool::Run(std::chrono::milliseconds deadline) {
  EnableRequestDeadline(deadline);
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return shutdown_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // shutting down and drained
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    StartNextRequest();  // each job is one new connection
    job();
  }
}

}  // namespace dogwatch::http_internal

// The linker sends every recv() of the binary here (-Wl,--wrap=recv on the http module).
extern "C" ssize_t __real_recv(int fd, void* buf, size_t len, int flags);
extern "C" ssize_t __wrap_recv(int fd, void* buf, size_t len, int flags) {
  if (dogwatch::http_internal::RecvPastDeadline()) {
    errno = ETIMEDOUT;
    return -1;
  }
  return __real_recv(fd, buf, len, flags);
}
