// api_keys table. Keys use Healthchecks' format so clients that check it keep working:
// "hcw_" (read-write) or "hcr_" (read-only) + 28 characters from [A-Za-z0-9], 32 in all.
#include <charconv>

#include "dogwatch/core/crypto.h"
#include "dogwatch/core/ids.h"
#include "impl.h"

namespace dogwatch {

Result<std::string> Store::CreateApiKey(int64_t project_id, bool read_only, const std::string& name,
                                        TimePoint now) {
  static constexpr std::string_view kSql =
      "INSERT INTO api_keys (project_id, prefix, key_hash, read_only, name, created) "
      "VALUES (?, ?, ?, ?, ?, ?)";
  std::string key = (read_only ? "hcr_" : "hcw_") + RandomAlnum(28);
  try {
    SQLite::Statement q(impl_->db, std::string(kSql));
    q.bind(1, project_id);
    q.bind(2, key.substr(0, 8));
    q.bind(3, Sha256Hex(key));
    q.bind(4, read_only ? 1 : 0);
    q.bind(5, name);
    q.bind(6, static_cast<int64_t>(ToUnixMicros(now)));
    q.exec();
    return key;
  } catch (const SQLite::Exception& e) {
    return store_internal::FromException(e, "api key");
  }
}

std::vector<ApiKeyRow> Store::ListApiKeys() {
  static constexpr std::string_view kSql =
      "SELECT k.id, k.project_id, k.prefix, k.read_only, k.name, k.created, k.last_used, p.name "
      "FROM api_keys k JOIN projects p ON p.id = k.project_id ORDER BY p.name, k.id";
  SQLite::Statement q(impl_->db, std::string(kSql));
  std::vector<ApiKeyRow> out;
  while (q.executeStep()) {
    ApiKey k;
    k.id = q.getColumn(0).getInt64();
    k.project_id = q.getColumn(1).getInt64();
    k.prefix = q.getColumn(2).getString();
    k.read_only = q.getColumn(3).getInt() != 0;
    k.name = q.getColumn(4).getString();
    k.created = store_internal::Time(q.getColumn(5));
    k.last_used = store_internal::OptTime(q.getColumn(6));
    out.push_back({std::move(k), q.getColumn(7).getString()});
  }
  return out;
}

std::vector<ApiKey> Store::ListProjectApiKeys(int64_t project_id) {
  std::vector<ApiKey> out;
  for (auto& row : ListApiKeys())
    if (row.key.project_id == project_id) out.push_back(std::move(row.key));
  return out;
}

Status Store::RevokeProjectApiKey(int64_t project_id, int64_t key_id) {
  SQLite::Statement q(impl_->db, "DELETE FROM api_keys WHERE id = ? AND project_id = ?");
  q.bind(1, key_id);
  q.bind(2, project_id);
  if (q.exec() != 1) return Fail(Errc::kNotFound, "no API key {} in this project", key_id);
  return Ok();
}

Status Store::RevokeApiKey(const std::string& id_or_key) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(id_or_key.data(), id_or_key.data() + id_or_key.size(), id);
  bool numeric = !id_or_key.empty() && ec == std::errc() && end == id_or_key.data() + id_or_key.size();
  SQLite::Statement q(impl_->db, numeric ? "DELETE FROM api_keys WHERE id = ?"
                                         : "DELETE FROM api_keys WHERE key_hash = ?");
  if (numeric) q.bind(1, id); else q.bind(1, Sha256Hex(id_or_key));
  if (q.exec() != 1) return Fail(Errc::kNotFound, "no API key {}", numeric ? id_or_key : "with that value");
  return Ok();
}

std::optional<ApiKeyGrant> Store::FindApiKey(const std::string& key) {
  static constexpr std::string_view kSql =
      "SELECT id, project_id, read_only FROM api_keys WHERE key_hash = ?";
  SQLite::Statement q(impl_->db, std::string(kSql));
  q.bind(1, Sha256Hex(key));
  if (!q.executeStep()) return std::nullopt;
  return ApiKeyGrant{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(), q.getColumn(2).getInt() != 0};
}

}  // namespace dogwatch
