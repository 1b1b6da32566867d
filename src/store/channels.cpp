// channels and check_channels tables.
#include "impl.h"

namespace dogwatch {

std::vector<Channel> Store::ListChannels(int64_t project_id) {
  static constexpr std::string_view kSql =
      "SELECT id, uuid, project_id, name, kind, value, created, disabled, last_notify, "
      "last_error, source FROM channels WHERE project_id = ? ORDER BY created, id";
  DW_CACHED(q, kSql);
  q->bind(1, project_id);
  std::vector<Channel> out;
  while (q->executeStep()) {
    Channel c;
    c.id = q->getColumn(0).getInt64();
    c.uuid = q->getColumn(1).getString();
    c.project_id = q->getColumn(2).getInt64();
    c.name = q->getColumn(3).getString();
    c.kind = q->getColumn(4).getString();
    c.value = q->getColumn(5).getString();
    c.created = store_internal::Time(q->getColumn(6));
    c.disabled = q->getColumn(7).getInt() != 0;
    c.last_notify = store_internal::OptTime(q->getColumn(8));
    c.last_error = q->getColumn(9).getString();
    c.source = ParseSource(q->getColumn(10).getString()).value_or(Source::kApi);
    out.push_back(std::move(c));
  }
  return out;
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
