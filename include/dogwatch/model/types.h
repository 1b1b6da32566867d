// Plain domain types shared by every module: Project, Check, Ping, Flip, Channel, Notification,
// and the enums that name their states. No behaviour beyond name<->enum mapping; copyable values,
// thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dogwatch/core/time.h"

namespace dogwatch {

// Stored status of a check (reference §3.1). "started" is a flag, not a status.
enum class CheckStatus { kNew, kUp, kGrace, kDown, kPaused };
const char* CheckStatusName(CheckStatus s);
std::optional<CheckStatus> ParseCheckStatus(std::string_view s);

enum class ScheduleKind { kSimple, kCron, kOnCalendar };
const char* ScheduleKindName(ScheduleKind k);
std::optional<ScheduleKind> ParseScheduleKind(std::string_view s);

// Kind of a ping; Healthchecks stores success as NULL, we store "success".
enum class PingKind { kSuccess, kStart, kFail, kLog, kIgnored };
const char* PingKindName(PingKind k);
std::optional<PingKind> ParsePingKind(std::string_view s);

// Who owns an object's definition: the API/UI, or the config file (SPEC §9, config as code).
enum class Source { kApi, kConfig };
const char* SourceName(Source s);
std::optional<Source> ParseSource(std::string_view s);

struct User {
  int64_t id = 0;
  std::string email;
  TimePoint created;
};

struct Project {
  int64_t id = 0;
  std::string uuid;
  std::string name;
  std::optional<int64_t> owner_id;
  std::string ping_key;   // for /ping/<ping-key>/<slug>
  std::string badge_key;
  TimePoint created;
};

struct ApiKey {
  int64_t id = 0;
  int64_t project_id = 0;
  std::string prefix;  // first 8 characters, shown in listings
  bool read_only = false;
  std::string name;
  TimePoint created;
  std::optional<TimePoint> last_used;
};

struct Check {
  int64_t id = 0;
  std::string uuid;
  int64_t project_id = 0;
  std::string name;
  std::string slug;
  std::string tags;  // space-separated
  std::string desc;
  TimePoint created;
  ScheduleKind kind = ScheduleKind::kSimple;
  std::chrono::seconds timeout{86400};
  std::chrono::seconds grace{3600};
  std::string schedule = "* * * * *";
  std::string tz = "UTC";
  bool filter_subject = false;
  bool filter_body = false;
  bool filter_http_body = false;
  bool filter_default_fail = false;
  std::string start_kw, success_kw, failure_kw;  // comma-separated
  std::string methods;                           // "" or "POST"
  bool manual_resume = false;
  std::string badge_key;
  int64_t n_pings = 0;
  std::optional<TimePoint> last_ping;
  std::optional<TimePoint> last_start;
  std::optional<std::string> last_start_rid;
  std::optional<Micros> last_duration;
  std::optional<TimePoint> alert_after;  // the durable deadline
  CheckStatus status = CheckStatus::kNew;
  Source source = Source::kApi;
};

struct Ping {
  int64_t id = 0;
  int64_t check_id = 0;
  int64_t n = 0;
  TimePoint created;
  PingKind kind = PingKind::kSuccess;
  std::string scheme;
  std::string remote_addr;
  std::string method;
  std::string ua;
  std::string body;
  std::optional<int> exit_status;
  std::optional<std::string> rid;
  std::optional<Micros> duration;
};

struct Flip {
  int64_t id = 0;
  int64_t check_id = 0;
  TimePoint created;
  CheckStatus old_status = CheckStatus::kNew;
  CheckStatus new_status = CheckStatus::kNew;
  std::string reason;
  std::optional<TimePoint> processed;
};

struct Channel {
  int64_t id = 0;
  std::string uuid;
  int64_t project_id = 0;
  std::string name;
  std::string kind;
  std::string value;  // JSON, per kind
  TimePoint created;
  bool disabled = false;
  std::optional<TimePoint> last_notify;
  std::string last_error;
  Source source = Source::kApi;
};

enum class NotificationState { kPending, kDelivered, kFailed };
const char* NotificationStateName(NotificationState s);
std::optional<NotificationState> ParseNotificationState(std::string_view s);

struct Notification {
  int64_t id = 0;
  std::string uuid;
  std::optional<int64_t> flip_id;
  std::optional<int64_t> check_id;  // null for test sends
  int64_t channel_id = 0;
  CheckStatus check_status = CheckStatus::kDown;
  TimePoint created;
  NotificationState state = NotificationState::kPending;
  int attempts = 0;
  std::optional<TimePoint> next_attempt;
  std::string error;
};

// Accounts: the same rules for the CLI and the web UI.
inline constexpr size_t kMinPasswordLength = 8;
// One '@' with something on each side, no spaces or control characters, at most 254 bytes.
bool PlausibleEmail(std::string_view email);

}  // namespace dogwatch
