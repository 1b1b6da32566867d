// TimerWheel: a hierarchical timing wheel over wall-clock seconds that caches each check's
// deadline (checks.alert_after is the durable truth). Seven levels of 64 slots, with a bitmap of
// occupied slots per level, so Advance() jumps straight to the next occupied slot: a tick costs
// time in proportion to what is due (plus each entry's at most 6 cascades), never to how many
// checks exist. Not thread-safe: owned by the monitor thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace dogwatch {

class TimerWheel {
 public:
  using Handle = uint32_t;  // the monitor's dense index of a check

  explicit TimerWheel(int64_t now_sec);

  // Sets h's deadline, replacing any earlier one. A deadline not after now is due at the next
  // Advance().
  void Schedule(Handle h, int64_t deadline_sec);
  void Cancel(Handle h);
  bool Scheduled(Handle h) const;
  std::optional<int64_t> DeadlineOf(Handle h) const;

  // Moves the wheel to now_sec and appends every handle whose deadline is <= now_sec to `due`
  // (in deadline order; they are removed from the wheel). If the wall clock went backwards, the
  // wheel re-anchors at now_sec: nothing fires early.
  void Advance(int64_t now_sec, std::vector<Handle>& due);

  // A second at or before which Advance() next has work (an entry due, or a cascade that may
  // make one due): the monitor sleeps until then. nullopt when the wheel is empty.
  std::optional<int64_t> NextDue() const;

  size_t size() const { return size_; }
  int64_t now() const { return now_; }
  // Entries moved between slots so far (cascades and re-anchoring): lets tests prove that a
  // tick's work does not grow with the number of idle entries.
  uint64_t moves() const { return moves_; }

 private:
  static constexpr int kBits = 6;
  static constexpr int kSlots = 1 << kBits;
  static constexpr int kLevels = 7;
  static constexpr uint8_t kReady = 255;  // level marker: due at the next Advance()
  static constexpr uint8_t kNone = 254;   // level marker: not scheduled

  struct Loc {
    int64_t deadline = 0;
    uint32_t index = 0;  // position in its slot's vector
    uint8_t level = kNone;
    uint8_t slot = 0;
  };

  std::vector<Handle>& SlotOf(uint8_t level, uint8_t slot);
  void Insert(Handle h, int64_t deadline);
  void Remove(Handle h);
  // The next time in (now_, limit] at which some slot needs processing, or limit.
  int64_t NextEvent(int64_t limit) const;
  void Process(std::vector<Handle>& due);  // cascade and expire at now_
  void Expire(Handle h, std::vector<Handle>& due);
  void DrainReady(std::vector<Handle>& due);
  void Reanchor(int64_t now_sec);

  int64_t now_;
  size_t size_ = 0;
  uint64_t moves_ = 0;
  std::vector<Loc> locs_;
  std::array<std::array<std::vector<Handle>, kSlots>, kLevels> slots_;
  std::array<uint64_t, kLevels> occupied_{};
  std::vector<Handle> ready_;
};

}  // namespace dogwatch
