#include "dogwatch/monitor/timer_wheel.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace dogwatch {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

}  // namespace

TimerWheel::TimerWheel(int64_t now_sec) : now_(now_sec) {}

std::vector<TimerWheel::Handle>& TimerWheel::SlotOf(uint8_t level, uint8_t slot) {
  return level == kReady ? ready_ : slots_[level][slot];
}

void TimerWheel::Insert(Handle h, int64_t deadline) {
  Loc& loc = locs_[h];
  loc.deadline = deadline;
  if (deadline <= now_) {
    loc.level = kReady;
    loc.slot = 0;
  } else {
    // The level is the highest 6-bit group in which deadline and now differ; the deadline
    // agrees with now above it, so its slot index there is ahead of now's.
    uint64_t diff = static_cast<uint64_t>(deadline ^ now_);
    int level = (63 - std::countl_zero(diff)) / kBits;
    loc.level = static_cast<uint8_t>(level);
    loc.slot = static_cast<uint8_t>((deadline >> (kBits * level)) & (kSlots - 1));
    occupied_[level] |= uint64_t{1} << loc.slot;
  }
  auto& vec = SlotOf(loc.level, loc.slot);
  loc.index = static_cast<uint32_t>(vec.size());
  vec.push_back(h);
}

void TimerWheel::Remove(Handle h) {
  Loc& loc = locs_[h];
  auto& vec = SlotOf(loc.level, loc.slot);
  Handle last = vec.back();
  vec[loc.index] = last;
  locs_[last].index = loc.index;
  vec.pop_back();
  if (vec.empty() && loc.level != kReady) occupied_[loc.level] &= ~(uint64_t{1} << loc.slot);
  loc.level = kNone;
}

void TimerWheel::Schedule(Handle h, int64_t deadline_sec) {
  if (h >= locs_.size()) locs_.resize(std::max<size_t>(h + 1, locs_.size() * 2));
  if (locs_[h].level != kNone) {
    Remove(h);
  } else {
    ++size_;
  }
  Insert(h, deadline_sec);
}

void TimerWheel::Cancel(Handle h) {
  if (!Scheduled(h)) return;
  Remove(h);
  --size_;
}

bool TimerWheel::Scheduled(Handle h) const { return h < locs_.size() && locs_[h].level != kNone; }

std::optional<int64_t> TimerWheel::DeadlineOf(Handle h) const {
  if (!Scheduled(h)) return std::nullopt;
  return locs_[h].deadline;
}

int64_t TimerWheel::NextEvent(int64_t limit) const {
  int64_t best = limit;
  for (int level = 0; level < kLevels; ++level) {
    int shift = kBits * level;
    uint64_t here = static_cast<uint64_t>(now_ >> shift) & (kSlots - 1);
    // Occupied slots strictly after now's slot at this level.
    uint64_t ahead = here == kSlots - 1 ? 0 : occupied_[level] & (~uint64_t{0} << (here + 1));
    if (!ahead) continue;
    int64_t base = (now_ >> (shift + kBits)) << (shift + kBits);
    int64_t when = base | (static_cast<int64_t>(std::countr_zero(ahead)) << shift);
    best = std::min(best, when);
  }
  return best;
}

void TimerWheel::Process(std::vector<Handle>& due) {
  // Highest level first: its entries move down into lower levels or become due right now.
  for (int level = kLevels - 1; level >= 1; --level) {
    int shift = kBits * level;
    if ((now_ & ((int64_t{1} << shift) - 1)) != 0) continue;  // not at this level's boundary
    auto slot = static_cast<uint8_t>((now_ >> shift) & (kSlots - 1));
    if (!(occupied_[level] & (uint64_t{1} << slot))) continue;
    std::vector<Handle> moving;
    moving.swap(slots_[level][slot]);
    occupied_[level] &= ~(uint64_t{1} << slot);
    for (Handle h : moving) {
      ++moves_;
      Insert(h, locs_[h].deadline);
    }
  }
  auto slot0 = static_cast<uint8_t>(now_ & (kSlots - 1));
  if (occupied_[0] & (uint64_t{1} << slot0)) {
    // Everything in level 0's current slot is due exactly now.
    for (Handle h : slots_[0][slot0]) Expire(h, due);
    slots_[0][slot0].clear();
    occupied_[0] &= ~(uint64_t{1} << slot0);
  }
  DrainReady(due);  // cascades put entries due exactly now there
}

void TimerWheel::Expire(Handle h, std::vector<Handle>& due) {
  locs_[h].level = kNone;
  --size_;
  due.push_back(h);
}

void TimerWheel::DrainReady(std::vector<Handle>& due) {
  if (ready_.empty()) return;
  // Entries scheduled in the past arrive in any order; hand them out earliest first.
  std::sort(ready_.begin(), ready_.end(),
            [&](Handle a, Handle b) { return locs_[a].deadline < locs_[b].deadline; });
  for (Handle h : ready_) Expire(h, due);
  ready_.clear();
}

void TimerWheel::Reanchor(int64_t now_sec) {
  std::vector<Handle> all;
  all.reserve(size_);
  for (Handle h = 0; h < locs_.size(); ++h)
    if (locs_[h].level != kNone) all.push_back(h);
  for (auto& level : slots_)
    for (auto& slot : level) slot.clear();
  occupied_.fill(0);
  ready_.clear();
  now_ = now_sec;
  for (Handle h : all) {
    ++moves_;
    Insert(h, locs_[h].deadline);
  }
}

void TimerWheel::Advance(int64_t now_sec, std::vector<Handle>& due) {
  if (now_sec < now_) Reanchor(now_sec);
  DrainReady(due);
  while (now_ < now_sec) {
    now_ = NextEvent(now_sec);
    Process(due);
  }
}

std::optional<int64_t> TimerWheel::NextDue() const {
  if (size_ == 0) return std::nullopt;
  if (!ready_.empty()) return now_;
  // The earliest occupied slot's start: entries there are due at or after it.
  return NextEvent(kNever);
}

}  // namespace dogwatch
