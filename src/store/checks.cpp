// checks table.
#include "impl.h"

namespace dogwatch {
namespace {

using store_internal::BindOpt;
using store_internal::OptTime;
using store_internal::Time;
using store_internal::Us;

// Column order shared by every SELECT here and RowToCheck.
#define DW_CHECK_COLUMNS                                                                        \
  "id, uuid, project_id, name, slug, tags, desc, created, kind, timeout, grace, schedule, tz, " \
  "filter_subject, filter_body, filter_http_body, filter_default_fail, start_kw, success_kw, "  \
  "failure_kw, methods, manual_resume, badge_key, n_pings, last_ping, last_start, "             \
  "last_start_rid, last_duration_us, alert_after, status, source"

Check RowToCheck(SQLite::Statement& q) {
  Check c;
  int i = 0;
  c.id = q.getColumn(i++).getInt64();
  c.uuid = q.getColumn(i++).getString();
  c.project_id = q.getColumn(i++).getInt64();
  c.name = q.getColumn(i++).getString();
  c.slug = q.getColumn(i++).getString();
  c.tags = q.getColumn(i++).getString();
  c.desc = q.getColumn(i++).getString();
  c.created = Time(q.getColumn(i++));
  c.kind = ParseScheduleKind(q.getColumn(i++).getString()).value_or(ScheduleKind::kSimple);
  c.timeout = std::chrono::seconds(q.getColumn(i++).getInt64());
  c.grace = std::chrono::seconds(q.getColumn(i++).getInt64());
  c.schedule = q.getColumn(i++).getString();
  c.tz = q.getColumn(i++).getString();
  c.filter_subject = q.getColumn(i++).getInt() != 0;
  c.filter_body = q.getColumn(i++).getInt() != 0;
  c.filter_http_body = q.getColumn(i++).getInt() != 0;
  c.filter_default_fail = q.getColumn(i++).getInt() != 0;
  c.start_kw = q.getColumn(i++).getString();
  c.success_kw = q.getColumn(i++).getString();
  c.failure_kw = q.getColumn(i++).getString();
  c.methods = q.getColumn(i++).getString();
  c.manual_resume = q.getColumn(i++).getInt() != 0;
  c.badge_key = q.getColumn(i++).getString();
  c.n_pings = q.getColumn(i++).getInt64();
  c.last_ping = OptTime(q.getColumn(i++));
  c.last_start = OptTime(q.getColumn(i++));
  if (!q.getColumn(i).isNull()) c.last_start_rid = q.getColumn(i).getString();
  ++i;
  if (!q.getColumn(i).isNull()) c.last_duration = Micros(q.getColumn(i).getInt64());
  ++i;
  c.alert_after = OptTime(q.getColumn(i++));
  c.status = ParseCheckStatus(q.getColumn(i++).getString()).value_or(CheckStatus::kNew);
  c.source = ParseSource(q.getColumn(i++).getString()).value_or(Source::kApi);
  return c;
}

// Binds every column but id, in DW_CHECK_COLUMNS order, starting at parameter 1.
void BindCheck(SQLite::Statement& q, const Check& c) {
  int i = 1;
  q.bind(i++, c.uuid);
  q.bind(i++, c.project_id);
  q.bind(i++, c.name);
  q.bind(i++, c.slug);
  q.bind(i++, c.tags);
  q.bind(i++, c.desc);
  q.bind(i++, static_cast<int64_t>(Us(c.created)));
  q.bind(i++, ScheduleKindName(c.kind));
  q.bind(i++, static_cast<int64_t>(c.timeout.count()));
  q.bind(i++, static_cast<int64_t>(c.grace.count()));
  q.bind(i++, c.schedule);
  q.bind(i++, c.tz);
  q.bind(i++, c.filter_subject ? 1 : 0);
  q.bind(i++, c.filter_body ? 1 : 0);
  q.bind(i++, c.filter_http_body ? 1 : 0);
  q.bind(i++, c.filter_default_fail ? 1 : 0);
  q.bind(i++, c.start_kw);
  q.bind(i++, c.success_kw);
  q.bind(i++, c.failure_kw);
  q.bind(i++, c.methods);
  q.bind(i++, c.manual_resume ? 1 : 0);
  q.bind(i++, c.badge_key);
  q.bind(i++, c.n_pings);
  BindOpt(q, i++, c.last_ping);
  BindOpt(q, i++, c.last_start);
  BindOpt(q, i++, c.last_start_rid);
  BindOpt(q, i++, c.last_duration);
  BindOpt(q, i++, c.alert_after);
  q.bind(i++, CheckStatusName(c.status));
  q.bind(i++, SourceName(c.source));
}

std::vector<Check> Collect(SQLite::Statement& q) {
  std::vector<Check> out;
  while (q.executeStep()) out.push_back(RowToCheck(q));
  return out;
}

}  // namespace

std::vector<Check> Store::LoadChecks() {
  static constexpr std::string_view kSql = "SELECT " DW_CHECK_COLUMNS " FROM checks ORDER BY id";
  DW_CACHED(q, kSql);
  return Collect(*q);
}

void Store::ForEachCheck(const std::function<void(Check&&)>& fn) {
  static constexpr std::string_view kSql = "SELECT " DW_CHECK_COLUMNS " FROM checks ORDER BY id";
  DW_CACHED(q, kSql);
  while (q->executeStep()) fn(RowToCheck(*q));
}

int64_t Store::CountChecks() { return impl_->db.execAndGet("SELECT count(*) FROM checks").getInt64(); }

std::optional<Check> Store::FindCheck(const std::string& uuid) {
  static constexpr std::string_view kSql = "SELECT " DW_CHECK_COLUMNS " FROM checks WHERE uuid = ?";
  DW_CACHED(q, kSql);
  q->bind(1, uuid);
  if (!q->executeStep()) return std::nullopt;
  return RowToCheck(*q);
}

std::optional<Check> Store::FindCheckById(int64_t id) {
  static constexpr std::string_view kSql = "SELECT " DW_CHECK_COLUMNS " FROM checks WHERE id = ?";
  DW_CACHED(q, kSql);
  q->bind(1, id);
  if (!q->executeStep()) return std::nullopt;
  return RowToCheck(*q);
}

std::vector<Check> Store::ListChecks(int64_t project_id) {
  static constexpr std::string_view kSql =
      "SELECT " DW_CHECK_COLUMNS " FROM checks WHERE project_id = ? ORDER BY created, id";
  DW_CACHED(q, kSql);
  q->bind(1, project_id);
  return Collect(*q);
}

Result<int64_t> Store::InsertCheck(const Check& check) {
  static constexpr std::string_view kSql =
      "INSERT INTO checks (uuid, project_id, name, slug, tags, desc, created, kind, timeout, "
      "grace, schedule, tz, filter_subject, filter_body, filter_http_body, filter_default_fail, "
      "start_kw, success_kw, failure_kw, methods, manual_resume, badge_key, n_pings, last_ping, "
      "last_start, last_start_rid, last_duration_us, alert_after, status, source) "
      "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  DW_CACHED(q, kSql);
  BindCheck(*q, check);
  q->exec();
  return impl_->db.getLastInsertRowid();
}

Status Store::UpdateCheck(const Check& check) {
  static constexpr std::string_view kSql =
      "UPDATE checks SET uuid=?, project_id=?, name=?, slug=?, tags=?, desc=?, created=?, kind=?, "
      "timeout=?, grace=?, schedule=?, tz=?, filter_subject=?, filter_body=?, filter_http_body=?, "
      "filter_default_fail=?, start_kw=?, success_kw=?, failure_kw=?, methods=?, manual_resume=?, "
      "badge_key=?, n_pings=?, last_ping=?, last_start=?, last_start_rid=?, last_duration_us=?, "
      "alert_after=?, status=?, source=? WHERE id=?";
  DW_CACHED(q, kSql);
  BindCheck(*q, check);
  q->bind(31, check.id);
  if (q->exec() != 1) return Fail(Errc::kNotFound, "no check with id {}", check.id);
  return Ok();
}

Status Store::UpdateCheckRuntime(const Check& c) {
  static constexpr std::string_view kSql =
      "UPDATE checks SET n_pings=?, last_ping=?, last_start=?, last_start_rid=?, "
      "last_duration_us=?, alert_after=?, status=? WHERE id=?";
  DW_CACHED(q, kSql);
  q->bind(1, c.n_pings);
  BindOpt(*q, 2, c.last_ping);
  BindOpt(*q, 3, c.last_start);
  BindOpt(*q, 4, c.last_start_rid);
  BindOpt(*q, 5, c.last_duration);
  BindOpt(*q, 6, c.alert_after);
  q->bind(7, CheckStatusName(c.status));
  q->bind(8, c.id);
  if (q->exec() != 1) return Fail(Errc::kNotFound, "no check with id {}", c.id);
  return Ok();
}

Status Store::DeleteCheck(int64_t id) {
  static constexpr std::string_view kSql = "DELETE FROM checks WHERE id = ?";
  DW_CACHED(q, kSql);
  q->bind(1, id);
  if (q->exec() != 1) return Fail(Errc::kNotFound, "no check with id {}", id);
  return Ok();
}

// Prepared once: parsing "BEGIN"/"COMMIT" text every batch showed up in profiles.
void Store::Begin() {
  static constexpr std::string_view kSql = "BEGIN IMMEDIATE";
  DW_CACHED(q, kSql);
  q->exec();
}
void Store::Commit() {
  static constexpr std::string_view kSql = "COMMIT";
  DW_CACHED(q, kSql);
  q->exec();
}
void Store::Rollback() {
  // After some errors (SQLITE_FULL) SQLite has already rolled back; that is fine.
  try {
    impl_->db.exec("ROLLBACK");
  } catch (const SQLite::Exception&) {
  }
}

}  // namespace dogwatch
