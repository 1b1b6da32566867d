// projects and project_members tables.
#include "dogwatch/core/ids.h"
#include "impl.h"

namespace dogwatch {
namespace {

Project RowToProject(SQLite::Statement& q) {
  Project p;
  p.id = q.getColumn(0).getInt64();
  p.uuid = q.getColumn(1).getString();
  p.name = q.getColumn(2).getString();
  if (!q.getColumn(3).isNull()) p.owner_id = q.getColumn(3).getInt64();
  p.ping_key = q.getColumn(4).getString();
  p.badge_key = q.getColumn(5).getString();
  p.created = store_internal::Time(q.getColumn(6));
  return p;
}

}  // namespace

// The project row and its owner's membership; the caller holds the transaction.
Project Store::InsertProjectLocked(const std::string& name, std::optional<int64_t> owner_id, TimePoint now) {
  static constexpr std::string_view kInsert =
      "INSERT INTO projects (uuid, name, owner_id, ping_key, badge_key, created) "
      "VALUES (?, ?, ?, ?, ?, ?)";
  static constexpr std::string_view kMember =
      "INSERT INTO project_members (project_id, user_id, role) VALUES (?, ?, 'm')";
  Project p;
  p.uuid = NewUuid();
  p.name = name;
  p.owner_id = owner_id;
  p.ping_key = RandomUrlSafe(22);  // Healthchecks: token_urlsafe(16)
  p.badge_key = NewUuid();
  p.created = now;
  DW_CACHED(q, kInsert);
  q->bind(1, p.uuid);
  q->bind(2, p.name);
  if (owner_id) q->bind(3, *owner_id); else q->bind(3);
  q->bind(4, p.ping_key);
  q->bind(5, p.badge_key);
  q->bind(6, static_cast<int64_t>(ToUnixMicros(now)));
  q->exec();
  p.id = impl_->db.getLastInsertRowid();
  if (owner_id) {
    DW_CACHED(m, kMember);
    m->bind(1, p.id);
    m->bind(2, *owner_id);
    m->exec();
  }
  return p;
}

Result<Project> Store::AddProject(const std::string& name, std::optional<int64_t> owner_id,
                                  TimePoint now) {
  try {
    SQLite::Transaction txn(impl_->db);
    Project p = InsertProjectLocked(name, owner_id, now);
    txn.commit();
    return p;
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "project " + name);
  }
}

Result<std::pair<User, Project>> Store::AddFirstUser(const std::string& email, const std::string& password_hash,
                                                     const std::string& project_name, TimePoint now) {
  static constexpr std::string_view kUser =
      "INSERT INTO users (email, password_hash, created) "
      "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM users)";
  try {
    // IMMEDIATE: the emptiness test and the insert see the same database.
    SQLite::Transaction txn(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    DW_CACHED(q, kUser);
    q->bind(1, email);
    q->bind(2, password_hash);
    q->bind(3, static_cast<int64_t>(ToUnixMicros(now)));
    if (q->exec() != 1) return Fail(Errc::kAlreadyExists, "a user already exists");
    User user{impl_->db.getLastInsertRowid(), email, now};
    Project project = InsertProjectLocked(project_name, user.id, now);
    txn.commit();
    return std::pair{user, project};
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "project " + project_name);
  }
}

std::vector<Membership> Store::ListMemberships(int64_t user_id) {
  static constexpr std::string_view kSql =
      "SELECT p.id, p.uuid, p.name, p.owner_id, p.ping_key, p.badge_key, p.created, m.role "
      "FROM project_members m JOIN projects p ON p.id = m.project_id WHERE m.user_id = ? "
      "ORDER BY p.name";
  DW_CACHED(q, kSql);
  q->bind(1, user_id);
  std::vector<Membership> out;
  while (q->executeStep()) out.push_back({RowToProject(*q), q->getColumn(7).getString()[0]});
  return out;
}

std::optional<Membership> Store::FindMembership(int64_t user_id, const std::string& project_uuid) {
  static constexpr std::string_view kSql =
      "SELECT p.id, p.uuid, p.name, p.owner_id, p.ping_key, p.badge_key, p.created, m.role "
      "FROM project_members m JOIN projects p ON p.id = m.project_id "
      "WHERE m.user_id = ? AND p.uuid = ?";
  DW_CACHED(q, kSql);
  q->bind(1, user_id);
  q->bind(2, project_uuid);
  if (!q->executeStep()) return std::nullopt;
  return Membership{RowToProject(*q), q->getColumn(7).getString()[0]};
}

std::vector<ProjectSummary> Store::ListProjects() {
  static constexpr std::string_view kSql =
      "SELECT p.id, p.uuid, p.name, p.owner_id, p.ping_key, p.badge_key, p.created, "
      "       coalesce(u.email, ''), "
      "       (SELECT count(*) FROM checks c WHERE c.project_id = p.id), "
      "       (SELECT count(*) FROM api_keys k WHERE k.project_id = p.id) "
      "FROM projects p LEFT JOIN users u ON u.id = p.owner_id ORDER BY p.name";
  DW_CACHED(q, kSql);
  std::vector<ProjectSummary> out;
  while (q->executeStep()) {
    out.push_back({RowToProject(*q), q->getColumn(7).getString(), q->getColumn(8).getInt64(),
                   q->getColumn(9).getInt64()});
  }
  return out;
}

std::optional<Project> Store::FindProjectByPingKey(const std::string& ping_key) {
  static constexpr std::string_view kSql =
      "SELECT id, uuid, name, owner_id, ping_key, badge_key, created FROM projects "
      "WHERE ping_key = ?";
  DW_CACHED(q, kSql);
  q->bind(1, ping_key);
  if (!q->executeStep()) return std::nullopt;
  return RowToProject(*q);
}

std::optional<Project> Store::FindProject(int64_t id) {
  static constexpr std::string_view kSql =
      "SELECT id, uuid, name, owner_id, ping_key, badge_key, created FROM projects WHERE id = ?";
  DW_CACHED(q, kSql);
  q->bind(1, id);
  if (!q->executeStep()) return std::nullopt;
  return RowToProject(*q);
}

std::optional<Project> Store::FindProjectByName(const std::string& name) {
  static constexpr std::string_view kSql =
      "SELECT id, uuid, name, owner_id, ping_key, badge_key, created FROM projects WHERE name = ?";
  DW_CACHED(q, kSql);
  q->bind(1, name);
  if (!q->executeStep()) return std::nullopt;
  return RowToProject(*q);
}

}  // namespace dogwatch
