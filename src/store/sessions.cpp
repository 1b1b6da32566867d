// sessions table: web logins, found by the SHA-256 of their token (the token itself is only ever
// in the user's cookie).
#include "dogwatch/core/ids.h"
#include "impl.h"

namespace dogwatch {

Status Store::AddSession(int64_t user_id, const std::string& token_hash, const std::string& csrf_token,
                         TimePoint now, TimePoint expires) {
  static constexpr std::string_view kSql =
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created, expires) VALUES (?, ?, ?, ?, ?)";
  try {
    DW_CACHED(q, kSql);
    q->bind(1, token_hash);
    q->bind(2, user_id);
    q->bind(3, csrf_token);
    q->bind(4, static_cast<int64_t>(ToUnixMicros(now)));
    q->bind(5, static_cast<int64_t>(ToUnixMicros(expires)));
    q->exec();
    return Ok();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "session");
  }
}

std::optional<SessionInfo> Store::FindSession(const std::string& token_hash, TimePoint now) {
  static constexpr std::string_view kSql =
      "SELECT s.id, s.user_id, u.email, s.csrf_token, s.expires FROM sessions s "
      "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires > ?";
  DW_CACHED(q, kSql);
  q->bind(1, token_hash);
  q->bind(2, static_cast<int64_t>(ToUnixMicros(now)));
  if (!q->executeStep()) return std::nullopt;
  return SessionInfo{q->getColumn(0).getInt64(), q->getColumn(1).getInt64(), q->getColumn(2).getString(),
                     q->getColumn(3).getString(), store_internal::Time(q->getColumn(4))};
}

Status Store::DeleteSession(const std::string& token_hash) {
  static constexpr std::string_view kSql = "DELETE FROM sessions WHERE token_hash = ?";
  try {
    DW_CACHED(q, kSql);
    q->bind(1, token_hash);
    q->exec();
    return Ok();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "session");
  }
}

Status Store::DeleteOtherSessions(int64_t user_id, const std::string& keep_token_hash) {
  static constexpr std::string_view kSql = "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?";
  try {
    DW_CACHED(q, kSql);
    q->bind(1, user_id);
    q->bind(2, keep_token_hash);
    q->exec();
    return Ok();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "sessions");
  }
}

Status Store::DeleteExpiredSessions(TimePoint now) {
  static constexpr std::string_view kSql = "DELETE FROM sessions WHERE expires <= ?";
  try {
    DW_CACHED(q, kSql);
    q->bind(1, static_cast<int64_t>(ToUnixMicros(now)));
    q->exec();
    return Ok();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "sessions");
  }
}

Result<std::string> Store::InstanceSecret() {
  static constexpr std::string_view kInsert =
      "INSERT INTO settings (name, value) VALUES ('secret_key', ?) ON CONFLICT (name) DO NOTHING";
  static constexpr std::string_view kSelect = "SELECT value FROM settings WHERE name = 'secret_key'";
  try {
    DW_CACHED(ins, kInsert);
    ins->bind(1, RandomAlnum(50));
    ins->exec();
    DW_CACHED(q, kSelect);
    if (!q->executeStep()) return Fail(Errc::kInternal, "settings: no secret_key");
    return q->getColumn(0).getString();
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "settings");
  }
}

}  // namespace dogwatch
