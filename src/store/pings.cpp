// pings table.
#include "impl.h"

namespace dogwatch {
namespace {

using store_internal::BindOpt;
using store_internal::Time;
using store_internal::Us;

Ping RowToPing(SQLite::Statement& q) {
  Ping p;
  p.id = q.getColumn(0).getInt64();
  p.check_id = q.getColumn(1).getInt64();
  p.n = q.getColumn(2).getInt64();
  p.created = Time(q.getColumn(3));
  p.kind = ParsePingKind(q.getColumn(4).getString()).value_or(PingKind::kSuccess);
  p.scheme = q.getColumn(5).getString();
  p.remote_addr = q.getColumn(6).getString();
  p.method = q.getColumn(7).getString();
  p.ua = q.getColumn(8).getString();
  auto body = q.getColumn(9);
  if (!body.isNull()) p.body.assign(static_cast<const char*>(body.getBlob()), static_cast<size_t>(body.getBytes()));
  if (!q.getColumn(10).isNull()) p.exit_status = q.getColumn(10).getInt();
  if (!q.getColumn(11).isNull()) p.rid = q.getColumn(11).getString();
  if (!q.getColumn(12).isNull()) p.duration = Micros(q.getColumn(12).getInt64());
  return p;
}

constexpr std::string_view kColumns =
    "id, check_id, n, created, kind, scheme, remote_addr, method, ua, body, exit_status, rid, "
    "duration_us";

}  // namespace

Status Store::InsertPing(const Ping& p) {
  static constexpr std::string_view kSql =
      "INSERT INTO pings (check_id, n, created, kind, scheme, remote_addr, method, ua, body, "
      "exit_status, rid, duration_us) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)";
  DW_CACHED(q, kSql);
  q->bind(1, p.check_id);
  q->bind(2, p.n);
  q->bind(3, static_cast<int64_t>(Us(p.created)));
  q->bind(4, PingKindName(p.kind));
  q->bind(5, p.scheme);
  q->bind(6, p.remote_addr);
  q->bind(7, p.method);
  q->bind(8, p.ua);
  if (p.body.empty()) q->bind(9); else q->bindNoCopy(9, p.body.data(), static_cast<int>(p.body.size()));
  BindOpt(*q, 10, p.exit_status);
  BindOpt(*q, 11, p.rid);
  BindOpt(*q, 12, p.duration);
  q->exec();
  return Ok();
}

Status Store::PrunePings(int64_t check_id, int64_t up_to_n) {
  static constexpr std::string_view kSql = "DELETE FROM pings WHERE check_id = ? AND n <= ?";
  DW_CACHED(q, kSql);
  q->bind(1, check_id);
  q->bind(2, up_to_n);
  q->exec();
  return Ok();
}

std::vector<Ping> Store::ListPings(int64_t check_id, int64_t min_n, int limit) {
  static const std::string kSql = "SELECT " + std::string(kColumns) +
                                  " FROM pings WHERE check_id = ? AND n > ? ORDER BY n DESC LIMIT ?";
  DW_CACHED(q, kSql);
  q->bind(1, check_id);
  q->bind(2, min_n);
  q->bind(3, limit);
  std::vector<Ping> out;
  while (q->executeStep()) out.push_back(RowToPing(*q));
  return out;
}

std::optional<Ping> Store::FindPing(int64_t check_id, int64_t n) {
  static const std::string kSql =
      "SELECT " + std::string(kColumns) + " FROM pings WHERE check_id = ? AND n = ?";
  DW_CACHED(q, kSql);
  q->bind(1, check_id);
  q->bind(2, n);
  if (!q->executeStep()) return std::nullopt;
  return RowToPing(*q);
}

}  // namespace dogwatch
