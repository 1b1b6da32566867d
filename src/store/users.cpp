// users table.
#include "impl.h"

namespace dogwatch {
namespace {

User RowToUser(SQLite::Statement& q) {
  return User{q.getColumn(0).getInt64(), q.getColumn(1).getString(), store_internal::Time(q.getColumn(2))};
}

}  // namespace

Result<User> Store::AddUser(const std::string& email, const std::string& password_hash, TimePoint now) {
  static constexpr std::string_view kSql =
      "INSERT INTO users (email, password_hash, created) VALUES (?, ?, ?)";
  try {
    SQLite::Statement q(impl_->db, std::string(kSql));
    q.bind(1, email);
    q.bind(2, password_hash);
    q.bind(3, static_cast<int64_t>(ToUnixMicros(now)));
    q.exec();
    return User{impl_->db.getLastInsertRowid(), email, now};
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "user " + email);
  }
}

Status Store::SetPasswordHash(const std::string& email, const std::string& password_hash) {
  static constexpr std::string_view kSql = "UPDATE users SET password_hash = ? WHERE email = ?";
  SQLite::Statement q(impl_->db, std::string(kSql));
  q.bind(1, password_hash);
  q.bind(2, email);
  if (q.exec() != 1) return Fail(Errc::kNotFound, "no user {}", email);
  return Ok();
}

std::vector<User> Store::ListUsers() {
  static constexpr std::string_view kSql = "SELECT id, email, created FROM users ORDER BY email";
  SQLite::Statement q(impl_->db, std::string(kSql));
  std::vector<User> out;
  while (q.executeStep()) out.push_back(RowToUser(q));
  return out;
}

std::optional<User> Store::FindUser(const std::string& email) {
  static constexpr std::string_view kSql = "SELECT id, email, created FROM users WHERE email = ?";
  SQLite::Statement q(impl_->db, std::string(kSql));
  q.bind(1, email);
  if (!q.executeStep()) return std::nullopt;
  return RowToUser(q);
}

std::optional<std::pair<User, std::string>> Store::FindUserWithHash(const std::string& email) {
  static constexpr std::string_view kSql =
      "SELECT id, email, created, password_hash FROM users WHERE email = ?";
  DW_CACHED(q, kSql);
  q->bind(1, email);
  if (!q->executeStep()) return std::nullopt;
  return std::pair{RowToUser(*q), q->getColumn(3).getString()};
}

std::optional<std::pair<User, std::string>> Store::FindUserWithHashById(int64_t id) {
  static constexpr std::string_view kSql =
      "SELECT id, email, created, password_hash FROM users WHERE id = ?";
  DW_CACHED(q, kSql);
  q->bind(1, id);
  if (!q->executeStep()) return std::nullopt;
  return std::pair{RowToUser(*q), q->getColumn(3).getString()};
}

Status Store::SetPasswordHashById(int64_t user_id, const std::string& password_hash) {
  static constexpr std::string_view kSql = "UPDATE users SET password_hash = ? WHERE id = ?";
  try {
    DW_CACHED(q, kSql);
    q->bind(1, password_hash);
    q->bind(2, user_id);
    if (q->exec() != 1) return Fail(Errc::kNotFound, "no user {}", user_id);
    return Ok();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "user");
  }
}

int64_t Store::CountUsers() { return impl_->db.execAndGet("SELECT count(*) FROM users").getInt64(); }

}  // namespace dogwatch
