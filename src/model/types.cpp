#include "dogwatch/model/types.h"

#include <array>
#include <utility>

namespace dogwatch {
namespace {

// One table per enum keeps the two directions of each mapping in one place.
template <typename E, size_t N>
std::optional<E> Lookup(const std::array<std::pair<E, const char*>, N>& table, std::string_view s) {
  for (const auto& [value, name] : table)
    if (s == name) return value;
  return std::nullopt;
}

template <typename E, size_t N>
const char* NameOf(const std::array<std::pair<E, const char*>, N>& table, E v) {
  for (const auto& [value, name] : table)
    if (value == v) return name;
  return "?";
}

constexpr std::array<std::pair<CheckStatus, const char*>, 5> kStatuses{{
    {CheckStatus::kNew, "new"},
    {CheckStatus::kUp, "up"},
    {CheckStatus::kGrace, "grace"},
    {CheckStatus::kDown, "down"},
    {CheckStatus::kPaused, "paused"},
}};
constexpr std::array<std::pair<ScheduleKind, const char*>, 3> kKinds{{
    {ScheduleKind::kSimple, "simple"},
    {ScheduleKind::kCron, "cron"},
    {ScheduleKind::kOnCalendar, "oncalendar"},
}};
constexpr std::array<std::pair<PingKind, const char*>, 5> kPingKinds{{
    {PingKind::kSuccess, "success"},
    {PingKind::kStart, "start"},
    {PingKind::kFail, "fail"},
    {PingKind::kLog, "log"},
    {PingKind::kIgnored, "ign"},
}};
constexpr std::array<std::pair<Source, const char*>, 2> kSources{{
    {Source::kApi, "api"},
    {Source::kConfig, "config"},
}};
constexpr std::array<std::pair<NotificationState, const char*>, 3> kNotificationStates{{
    {NotificationState::kPending, "pending"},
    {NotificationState::kDelivered, "delivered"},
    {NotificationState::kFailed, "failed"},
}};

}  // namespace

const char* CheckStatusName(CheckStatus s) { return NameOf(kStatuses, s); }
std::optional<CheckStatus> ParseCheckStatus(std::string_view s) { return Lookup(kStatuses, s); }
const char* ScheduleKindName(ScheduleKind k) { return NameOf(kKinds, k); }
std::optional<ScheduleKind> ParseScheduleKind(std::string_view s) { return Lookup(kKinds, s); }
const char* PingKindName(PingKind k) { return NameOf(kPingKinds, k); }
std::optional<PingKind> ParsePingKind(std::string_view s) { return Lookup(kPingKinds, s); }
const char* SourceName(Source s) { return NameOf(kSources, s); }
std::optional<Source> ParseSource(std::string_view s) { return Lookup(kSources, s); }
const char* NotificationStateName(NotificationState s) { return NameOf(kNotificationStates, s); }
std::optional<NotificationState> ParseNotificationState(std::string_view s) {
  return Lookup(kNotificationStates, s);
}

bool PlausibleEmail(std::string_view email) {
  auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  for (unsigned char c : email)
    if (c <= ' ' || c == 0x7f) return false;
  return email.size() <= 254;
}

}  // namespace dogwatch
