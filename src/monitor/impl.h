// Private to the monitor: the state the monitor thread owns, and the command types of its
// mailbox. REQUIRES: everything but the mailbox fields is touched only by the monitor thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <vector>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <variant>

#include "dogwatch/monitor/monitor.h"
#include "dogwatch/monitor/timer_wheel.h"

namespace dogwatch::monitor_internal {

// What the monitor keeps in memory per check: enough to take a ping or a deadline without
// reading the database. The full row is read only for API edits.
struct LiveCheck {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string uuid;
  std::string slug;
  CheckState state;
  // Null for the common check with no method or keyword filter: saves ~130 bytes a check.
  std::unique_ptr<const PingFilters> filters;
  bool in_use = false;
};

template <typename T>
using Promise = std::shared_ptr<std::promise<Result<T>>>;

struct PingCmd {
  PingEvent event;
  PingDone done;
};
struct CreateCmd {
  int64_t project_id;
  CheckPatch patch;
  std::vector<std::string> unique;
  Promise<CheckResult> reply;
};
enum class EditKind { kUpdate, kPause, kResume, kDelete };
struct EditCmd {
  EditKind kind;
  int64_t project_id;
  std::string uuid;
  CheckPatch patch;
  Promise<CheckResult> reply;
};
using Command = std::variant<PingCmd, CreateCmd, EditCmd>;

// Writes the state Step() returned back into a row.
void StateToRow(const CheckState& s, Check& c);
// Null when the check filters nothing.
std::unique_ptr<const PingFilters> FiltersFromRow(const Check& c);
void ApplyPatch(const CheckPatch& patch, Check& c);

// The second at or after a microsecond instant: deadlines never fire early.
inline int64_t CeilSeconds(TimePoint t) {
  int64_t us = ToUnixMicros(t);
  return us >= 0 ? (us + 999'999) / 1'000'000 : us / 1'000'000;
}

}  // namespace dogwatch::monitor_internal

namespace dogwatch {

struct Monitor::Impl {
  using LiveCheck = monitor_internal::LiveCheck;

  Impl(std::unique_ptr<Store> writer, const Clock& c, MonitorOptions o, ScheduleCompiler sc)
      : db(std::move(writer)), clock(c), options(o), compiler(std::move(sc)),
        wheel(c.Now().time_since_epoch().count() / 1'000'000) {}

  // --- owned by the monitor thread ---
  std::unique_ptr<Store> db;
  const Clock& clock;
  MonitorOptions options;
  ScheduleCompiler compiler;
  std::vector<LiveCheck> checks;  // indexed by wheel handle
  std::vector<uint32_t> free_slots;
  std::unordered_map<std::string, uint32_t> by_uuid;
  std::unordered_map<int64_t, std::unordered_map<std::string, std::vector<uint32_t>>> by_slug;
  std::unordered_map<std::string, int64_t> project_by_ping_key;
  TimerWheel wheel;
  std::function<void()> on_notifications;
  std::function<void()> on_loop;  // each turn of Loop(), at least once a second

  // Per batch: replies to send after the commit, checks to reload if it fails. Pings, the bulk
  // of every batch, keep a pointer to their command's callback (the batch outlives the list)
  // instead of a std::function wrapper each. A failed batch answers from the batch itself.
  std::vector<std::pair<PingDone*, Result<PingAck>>> ping_replies;
  std::vector<std::function<void()>> replies;
  // (id, slot) of every check the batch changed, so a failed batch reloads just those. A
  // vector with repeats (deduplicated only on failure): a map cost a node allocation per ping.
  std::vector<std::pair<int64_t, uint32_t>> touched;
  // Persist's row: only id and the runtime columns are read, so it is reused, not rebuilt.
  Check runtime_row;
  bool notifications_queued = false;
  // Deadlines of this batch's flips to down, for the lag histogram once the batch commits.
  std::vector<TimePoint> flip_deadlines;
  // Test-only fault: DOGWATCH_TEST_MONITOR_STALL_MS makes every batch holding a ping wait this
  // long before it is applied (a stuck disk), so tests can see the front answer 503 in time.
  std::chrono::milliseconds test_stall{0};

  // --- mailbox, any thread ---
  std::mutex mu;
  std::condition_variable cv;
  // A vector, not a deque: a command is a few hundred bytes, so a deque allocated a block per
  // command; the monitor swaps the whole vector out instead, keeping both buffers' capacity.
  std::vector<monitor_internal::Command> inbox;
  bool accepting = false;
  bool stop_requested = false;
  std::thread thread;
  std::atomic<size_t> check_count{0};

  // monitor.cpp
  void Loop();
  void RunBatch(std::vector<monitor_internal::Command>& batch);
  void RunDeadlines(TimePoint now);
  // False (and cmd left as it was) once the monitor stops accepting commands. Any thread.
  bool Enqueue(monitor_internal::Command&& cmd);
  // Holds a command's result until the batch commits (then sent); if it fails, FailBatch answers.
  template <typename T>
  void Answer(const monitor_internal::Promise<T>& reply, Result<T> result) {
    replies.push_back([reply, r = std::move(result)]() mutable { reply->set_value(std::move(r)); });
  }
  // Answers every command of a failed batch with err, applied or not (BEGIN itself may fail).
  static void FailBatch(std::vector<monitor_internal::Command>& batch, const Error& err);

  // checks.cpp (in-memory index and persistence helpers)
  Status Load(TimePoint now);
  uint32_t AddLive(const Check& c);
  void RemoveLive(uint32_t idx);
  void RefreshLive(uint32_t idx, const Check& c);
  // Brings check `id` (last seen in `slot`) back in line with the database.
  void ReloadFromDb(int64_t id, uint32_t slot);
  std::shared_ptr<const NextFireFn> Compile(const Check& c);
  void Persist(uint32_t idx, const StepOutcome& out, TimePoint now);
  void Reschedule(uint32_t idx);
  std::optional<uint32_t> FindByUuid(const std::string& uuid) const;

  // commands.cpp
  Result<PingAck> ApplyPing(PingEvent& e);
  Result<CheckResult> ApplyCreate(monitor_internal::CreateCmd& cmd);
  Result<CheckResult> ApplyEdit(monitor_internal::EditCmd& cmd);
};

}  // namespace dogwatch
