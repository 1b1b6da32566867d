// The notification outbox (DESIGN.md "Alert"): claiming, finishing and listing notifications,
// plus the last-ping look-up an alert's message needs.
#include <fmt/format.h>

#include "impl.h"

namespace dogwatch {
namespace {

using store_internal::OptTime;
using store_internal::Time;
using store_internal::Us;

#define DW_NOTIFICATION_COLUMNS                                                             \
  "id, uuid, flip_id, check_id, channel_id, check_status, created, state, attempts, " \
  "next_attempt, error"

Notification RowToNotification(SQLite::Statement& q) {
  Notification n;
  n.id = q.getColumn(0).getInt64();
  n.uuid = q.getColumn(1).getString();
  if (!q.getColumn(2).isNull()) n.flip_id = q.getColumn(2).getInt64();
  if (!q.getColumn(3).isNull()) n.check_id = q.getColumn(3).getInt64();
  n.channel_id = q.getColumn(4).getInt64();
  n.check_status = ParseCheckStatus(q.getColumn(5).getString()).value_or(CheckStatus::kDown);
  n.created = Time(q.getColumn(6));
  n.state = ParseNotificationState(q.getColumn(7).getString()).value_or(NotificationState::kPending);
  n.attempts = q.getColumn(8).getInt();
  n.next_attempt = OptTime(q.getColumn(9));
  n.error = q.getColumn(10).getString();
  return n;
}

const char* AttemptOutcome(NotificationState state) {
  switch (state) {
    case NotificationState::kDelivered: return "delivered";
    case NotificationState::kFailed: return "failed";
    case NotificationState::kPending: return "retry";
  }
  return "retry";
}

}  // namespace

std::optional<Notification> Store::ClaimNotification(TimePoint now,
                                                     const std::vector<int64_t>& busy) {
  // The busy list is short (one entry per notifier worker), so it is spelled into the SQL; the
  // statement is prepared per call, which costs microseconds against a network send.
  std::string exclude;
  for (int64_t id : busy) exclude += fmt::format("{}{}", exclude.empty() ? "" : ",", id);
  std::string pick = fmt::format(
      "SELECT id FROM notifications WHERE state = 'pending' AND claimed IS NULL "
      "AND next_attempt <= ?1 {} ORDER BY next_attempt, id LIMIT 1",
      exclude.empty() ? "" : "AND channel_id NOT IN (" + exclude + ")");
  try {
    SQLite::Statement q(impl_->db,
                        "UPDATE notifications SET claimed = ?1, attempts = attempts + 1 "
                        "WHERE id = (" + pick + ") AND state = 'pending' AND claimed IS NULL "
                        "RETURNING " DW_NOTIFICATION_COLUMNS);
    q.bind(1, static_cast<int64_t>(Us(now)));
    if (!q.executeStep()) return std::nullopt;
    Notification n = RowToNotification(q);
    while (q.executeStep()) {
    }
    return n;
  } catch (const SQLite::Exception&) {
    return std::nullopt;  // busy or I/O: the caller retries on its next tick
  }
}

Status Store::FinishNotification(int64_t id, NotificationState state,
                                 std::optional<TimePoint> next_attempt, TimePoint started,
                                 Micros duration, const std::string& error) {
  static constexpr std::string_view kUpdate =
      "UPDATE notifications SET state = ?, next_attempt = ?, processed = ?, error = ?, "
      "claimed = NULL WHERE id = ?";
  static constexpr std::string_view kAttempt =
      "INSERT INTO notification_attempts (notification_id, created, duration_us, outcome, error) "
      "VALUES (?,?,?,?,?)";
  try {
    SQLite::Transaction txn(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    {
      DW_CACHED(q, kUpdate);
      q->bind(1, NotificationStateName(state));
      store_internal::BindOpt(*q, 2, next_attempt);
      if (state == NotificationState::kPending) q->bind(3); else q->bind(3, static_cast<int64_t>(Us(started + duration)));
      q->bind(4, error);
      q->bind(5, id);
      q->exec();
    }
    {
      DW_CACHED(q, kAttempt);
      q->bind(1, id);
      q->bind(2, static_cast<int64_t>(Us(started)));
      q->bind(3, static_cast<int64_t>(duration.count()));
      q->bind(4, AttemptOutcome(state));
      q->bind(5, error);
      q->exec();
    }
    txn.commit();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "notification");
  }
  return Ok();
}

Result<int> Store::ReleaseStaleClaims(TimePoint now) {
  static constexpr std::string_view kSql =
      "UPDATE notifications SET claimed = NULL, next_attempt = ? "
      "WHERE state = 'pending' AND claimed IS NOT NULL";
  try {
    DW_CACHED(q, kSql);
    q->bind(1, static_cast<int64_t>(Us(now)));
    return q->exec();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "notification");
  }
}

std::optional<TimePoint> Store::NextNotificationDue() {
  static constexpr std::string_view kSql =
      "SELECT MIN(next_attempt) FROM notifications WHERE state = 'pending' AND claimed IS NULL";
  DW_CACHED(q, kSql);
  if (!q->executeStep()) return std::nullopt;
  return OptTime(q->getColumn(0));
}

int64_t Store::CountPendingNotifications() {
  static constexpr std::string_view kSql = "SELECT count(*) FROM notifications WHERE state = 'pending'";
  DW_CACHED(q, kSql);
  return q->executeStep() ? q->getColumn(0).getInt64() : 0;
}

std::vector<Notification> Store::ListNotifications(int64_t channel_id, int limit) {
  static constexpr std::string_view kSql =
      "SELECT " DW_NOTIFICATION_COLUMNS " FROM notifications WHERE channel_id = ? "
      "ORDER BY created DESC, id DESC LIMIT ?";
  DW_CACHED(q, kSql);
  q->bind(1, channel_id);
  q->bind(2, limit);
  std::vector<Notification> out;
  while (q->executeStep()) out.push_back(RowToNotification(*q));
  return out;
}

std::optional<Ping> Store::LastPingAt(int64_t check_id, TimePoint t) {
  static constexpr std::string_view kSql =
      "SELECT n FROM pings WHERE check_id = ? AND created <= ? ORDER BY n DESC LIMIT 1";
  int64_t n = 0;
  {
    DW_CACHED(q, kSql);
    q->bind(1, check_id);
    q->bind(2, static_cast<int64_t>(Us(t)));
    if (!q->executeStep()) return std::nullopt;
    n = q->getColumn(0).getInt64();
  }
  return FindPing(check_id, n);
}

}  // namespace dogwatch
