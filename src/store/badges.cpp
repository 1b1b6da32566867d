// Look-ups by badge key: badge URLs name a project or a check by a key of their own, so that
// publishing a badge gives away neither the check's UUID (its ping URL) nor the project.
#include "impl.h"

namespace dogwatch {

std::optional<Project> Store::FindProjectByBadgeKey(const std::string& badge_key) {
  static constexpr std::string_view kSql = "SELECT id FROM projects WHERE badge_key = ?";
  DW_CACHED(q, kSql);
  q->bind(1, badge_key);
  if (!q->executeStep()) return std::nullopt;
  int64_t id = q->getColumn(0).getInt64();
  return FindProject(id);
}

std::optional<Check> Store::FindCheckByBadgeKey(const std::string& badge_key) {
  static constexpr std::string_view kSql = "SELECT uuid FROM checks WHERE badge_key = ?";
  DW_CACHED(q, kSql);
  q->bind(1, badge_key);
  if (!q->executeStep()) return std::nullopt;
  std::string uuid = q->getColumn(0).getString();
  return FindCheck(uuid);
}

}  // namespace dogwatch
