// channels and check_channels tables.
#include "dogwatch/core/ids.h"
#include "impl.h"

namespace dogwatch {

namespace {

#define DW_CHANNEL_COLUMNS \
  "id, uuid, project_id, name, kind, value, created, disabled, last_notify, last_error, source"

Channel RowToChannel(SQLite::Statement& q) {
  Channel c;
  c.id = q.getColumn(0).getInt64();
  c.uuid = q.getColumn(1).getString();
  c.project_id = q.getColumn(2).getInt64();
  c.name = q.getColumn(3).getString();
  c.kind = q.getColumn(4).getString();
  c.value = q.getColumn(5).getString();
  c.created = store_internal::Time(q.getColumn(6));
  c.disabled = q.getColumn(7).getInt() != 0;
  c.last_notify = store_internal::OptTime(q.getColumn(8));
  c.last_error = q.getColumn(9).getString();
  c.source = ParseSource(q.getColumn(10).getString()).value_or(Source::kApi);
  return c;
}

}  // namespace

std::vector<Channel> Store::ListChannels(int64_t project_id) {
  static constexpr std::string_view kSql =
      "SELECT " DW_CHANNEL_COLUMNS " FROM channels WHERE project_id = ? ORDER BY created, id";
  DW_CACHED(q, kSql);
  q->bind(1, project_id);
  std::vector<Channel> out;
  while (q->executeStep()) out.push_back(RowToChannel(*q));
  return out;
}

std::optional<Channel> Store::FindChannel(const std::string& uuid) {
  static constexpr std::string_view kSql =
      "SELECT " DW_CHANNEL_COLUMNS " FROM channels WHERE uuid = ?";
  DW_CACHED(q, kSql);
  q->bind(1, uuid);
  if (!q->executeStep()) return std::nullopt;
  return RowToChannel(*q);
}

std::optional<Channel> Store::FindChannelById(int64_t id) {
  static constexpr std::string_view kSql =
      "SELECT " DW_CHANNEL_COLUMNS " FROM channels WHERE id = ?";
  DW_CACHED(q, kSql);
  q->bind(1, id);
  if (!q->executeStep()) return std::nullopt;
  return RowToChannel(*q);
}

Result<Channel> Store::InsertChannel(Channel c) {
  static constexpr std::string_view kSql =
      "INSERT INTO channels (uuid, project_id, name, kind, value, created, source) "
      "VALUES (?,?,?,?,?,?,?)";
  if (c.uuid.empty()) c.uuid = NewUuid();
  try {
    DW_CACHED(q, kSql);
    q->bind(1, c.uuid);
    q->bind(2, c.project_id);
    q->bind(3, c.name);
    q->bind(4, c.kind);
    q->bind(5, c.value);
    q->bind(6, static_cast<int64_t>(store_internal::Us(c.created)));
    q->bind(7, SourceName(c.source));
    q->exec();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "channel");
  }
  c.id = impl_->db.getLastInsertRowid();
  return c;
}

Status Store::UpdateChannel(const Channel& c) {
  static constexpr std::string_view kSql =
      "UPDATE channels SET name = ?, kind = ?, value = ? WHERE id = ?";
  try {
    DW_CACHED(q, kSql);
    q->bind(1, c.name);
    q->bind(2, c.kind);
    q->bind(3, c.value);
    q->bind(4, c.id);
    if (q->exec() == 0) return Fail(Errc::kNotFound, "channel not found");
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "channel");
  }
  return Ok();
}

Status Store::DeleteChannel(int64_t id) {
  static constexpr std::string_view kSql = "DELETE FROM channels WHERE id = ?";
  try {
    DW_CACHED(q, kSql);
    q->bind(1, id);
    if (q->exec() == 0) return Fail(Errc::kNotFound, "channel not found");
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "channel");
  }
  return Ok();
}

Status Store::RecordChannelResult(int64_t channel_id, TimePoint when, Micros duration,
                                  const std::string& error) {
  static constexpr std::string_view kSql =
      "UPDATE channels SET last_notify = ?, last_notify_duration_us = ?, last_error = ? "
      "WHERE id = ?";
  try {
    DW_CACHED(q, kSql);
    q->bind(1, static_cast<int64_t>(store_internal::Us(when)));
    q->bind(2, static_cast<int64_t>(duration.count()));
    q->bind(3, error);
    q->bind(4, channel_id);
    q->exec();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "channel result");
  }
  return Ok();
}

std::vector<std::string> Store::CheckChannelUuids(int64_t check_id) {
  static constexpr std::string_view kSql =
      "SELECT c.uuid FROM check_channels cc JOIN channels c ON c.id = cc.channel_id "
      "WHERE cc.check_id = ? ORDER BY c.uuid";
  DW_CACHED(q, kSql);
  q->bind(1, check_id);
  std::vector<std::string> out;
  while (q->executeStep()) out.push_back(q->getColumn(0).getString());
  return out;
}

Status Store::SetCheckChannels(int64_t check_id, const std::vector<int64_t>& channel_ids) {
  static constexpr std::string_view kClear = "DELETE FROM check_channels WHERE check_id = ?";
  static constexpr std::string_view kAdd =
      "INSERT OR IGNORE INTO check_channels (check_id, channel_id) VALUES (?, ?)";
  DW_CACHED(clear, kClear);
  clear->bind(1, check_id);
  clear->exec();
  for (int64_t channel : channel_ids) {
    DW_CACHED(add, kAdd);
    add->bind(1, check_id);
    add->bind(2, channel);
    add->exec();
  }
  return Ok();
}

}  // namespace dogwatch
