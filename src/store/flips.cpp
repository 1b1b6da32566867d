// flips and notifications tables.
#include "dogwatch/core/ids.h"
#include "impl.h"

namespace dogwatch {

using store_internal::BindOpt;
using store_internal::OptTime;
using store_internal::Time;
using store_internal::Us;

namespace {

// Columns: id, check_id, created, old_status, new_status, reason, processed.
Flip RowToFlip(SQLite::Statement& q) {
  Flip f;
  f.id = q.getColumn(0).getInt64();
  f.check_id = q.getColumn(1).getInt64();
  f.created = Time(q.getColumn(2));
  f.old_status = ParseCheckStatus(q.getColumn(3).getString()).value_or(CheckStatus::kNew);
  f.new_status = ParseCheckStatus(q.getColumn(4).getString()).value_or(CheckStatus::kNew);
  f.reason = q.getColumn(5).getString();
  f.processed = OptTime(q.getColumn(6));
  return f;
}

}  // namespace

Result<int64_t> Store::InsertFlip(const Flip& f) {
  static constexpr std::string_view kSql =
      "INSERT INTO flips (check_id, created, old_status, new_status, reason, processed) "
      "VALUES (?,?,?,?,?,?)";
  DW_CACHED(q, kSql);
  q->bind(1, f.check_id);
  q->bind(2, static_cast<int64_t>(Us(f.created)));
  q->bind(3, CheckStatusName(f.old_status));
  q->bind(4, CheckStatusName(f.new_status));
  q->bind(5, f.reason);
  BindOpt(*q, 6, f.processed);
  q->exec();
  return impl_->db.getLastInsertRowid();
}

std::vector<Flip> Store::ListFlips(int64_t check_id, std::optional<TimePoint> start,
                                   std::optional<TimePoint> end) {
  static constexpr std::string_view kSql =
      "SELECT id, check_id, created, old_status, new_status, reason, processed FROM flips "
      "WHERE check_id = ? AND created >= ? AND created < ? ORDER BY created DESC, id DESC";
  DW_CACHED(q, kSql);
  q->bind(1, check_id);
  q->bind(2, start ? static_cast<int64_t>(Us(*start)) : INT64_MIN);
  q->bind(3, end ? static_cast<int64_t>(Us(*end)) : INT64_MAX);
  std::vector<Flip> out;
  while (q->executeStep()) out.push_back(RowToFlip(*q));
  return out;
}

std::optional<Flip> Store::FindFlip(int64_t id) {
  static constexpr std::string_view kSql =
      "SELECT id, check_id, created, old_status, new_status, reason, processed FROM flips "
      "WHERE id = ?";
  DW_CACHED(q, kSql);
  q->bind(1, id);
  if (!q->executeStep()) return std::nullopt;
  return RowToFlip(*q);
}

std::optional<Flip> Store::LastFlipTo(int64_t check_id, CheckStatus status, TimePoint before) {
  static constexpr std::string_view kSql =
      "SELECT id, check_id, created, old_status, new_status, reason, processed FROM flips "
      "WHERE check_id = ? AND new_status = ? AND created < ? ORDER BY created DESC, id DESC "
      "LIMIT 1";
  DW_CACHED(q, kSql);
  q->bind(1, check_id);
  q->bind(2, CheckStatusName(status));
  q->bind(3, static_cast<int64_t>(Us(before)));
  if (!q->executeStep()) return std::nullopt;
  return RowToFlip(*q);
}

Result<int> Store::QueueNotifications(int64_t flip_id, int64_t check_id, CheckStatus status,
                                      TimePoint now) {
  static constexpr std::string_view kChannels =
      "SELECT c.id FROM check_channels cc JOIN channels c ON c.id = cc.channel_id "
      "WHERE cc.check_id = ? AND c.disabled = 0 ORDER BY c.last_notify_duration_us, c.id";
  static constexpr std::string_view kInsert =
      "INSERT INTO notifications (uuid, flip_id, check_id, channel_id, check_status, created, "
      "state, next_attempt) VALUES (?,?,?,?,?,?,'pending',?)";
  std::vector<int64_t> channels;
  {
    DW_CACHED(q, kChannels);
    q->bind(1, check_id);
    while (q->executeStep()) channels.push_back(q->getColumn(0).getInt64());
  }
  for (int64_t channel : channels) {
    DW_CACHED(q, kInsert);
    q->bind(1, NewUuid());
    q->bind(2, flip_id);
    q->bind(3, check_id);
    q->bind(4, channel);
    q->bind(5, CheckStatusName(status));
    q->bind(6, static_cast<int64_t>(Us(now)));
    q->bind(7, static_cast<int64_t>(Us(now)));
    q->exec();
  }
  return static_cast<int>(channels.size());
}

}  // namespace dogwatch
