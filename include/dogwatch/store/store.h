// Store: one SQLite connection to dogwatch.db and every SQL statement dogwatch runs (DESIGN.md
// "Storage"). A Store is owned by one thread at a time: the monitor holds the only writer, each
// HTTP worker and each CLI command opens its own. Opening validates the file (refusing garbage,
// foreign and newer-version databases without touching them) and, for writers, applies the
// numbered forward-only migrations tracked by PRAGMA user_version.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dogwatch/core/result.h"
#include "dogwatch/model/types.h"

namespace dogwatch {

enum class OpenMode {
  kReadWrite,  // creates the file and runs migrations if needed
  kReadOnly,   // the file must exist; nothing is migrated or written (backups, readers)
};

struct StoreOptions {
  std::string path;          // the database file, e.g. ./dogwatch-data/dogwatch.db
  OpenMode mode = OpenMode::kReadWrite;
  bool full_durability = false;  // synchronous=FULL instead of NORMAL
};

struct ProjectSummary {
  Project project;
  std::string owner_email;  // "" when none
  int64_t checks = 0;
  int64_t api_keys = 0;
};

struct ApiKeyRow {
  ApiKey key;
  std::string project_name;
};

// What an API key grants.
struct ApiKeyGrant {
  int64_t key_id = 0;
  int64_t project_id = 0;
  bool read_only = false;
};

// The schema version this binary writes and understands.
int LatestSchemaVersion();
// The file name of the database inside data_dir.
inline constexpr const char* kDatabaseFile = "dogwatch.db";

class Store {
 public:
  // Opens or creates the database. Failures (kInvalidArgument for a file that is not ours or is
  // from a newer dogwatch, kUnavailable for I/O) leave an existing file exactly as it was.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int SchemaVersion();
  const std::string& path() const;

  // Users. Emails are compared case-insensitively.
  Result<User> AddUser(const std::string& email, const std::string& password_hash, TimePoint now);
  Status SetPasswordHash(const std::string& email, const std::string& password_hash);
  std::vector<User> ListUsers();
  std::optional<User> FindUser(const std::string& email);
  int64_t CountUsers();

  // Projects. Names are unique. The ping key and badge key are generated here.
  Result<Project> AddProject(const std::string& name, std::optional<int64_t> owner_id, TimePoint now);
  std::vector<ProjectSummary> ListProjects();
  std::optional<Project> FindProjectByName(const std::string& name);

  // API keys: Healthchecks' format (hcw_/hcr_ + 28 alphanumerics). Only a SHA-256 of the key is
  // stored; CreateApiKey returns the key itself, the one time it exists in clear.
  Result<std::string> CreateApiKey(int64_t project_id, bool read_only, const std::string& name,
                                   TimePoint now);
  std::vector<ApiKeyRow> ListApiKeys();
  // Revokes by numeric id (as `key list` shows it) or by the full key.
  Status RevokeApiKey(const std::string& id_or_key);
  std::optional<ApiKeyGrant> FindApiKey(const std::string& key);

  // A consistent copy of the whole database at dest_path, taken inside one read transaction
  // while writers continue (WAL). Written to a temporary file beside dest_path and renamed, so
  // dest_path is either the old file or a complete new one.
  Status Backup(const std::string& dest_path);

  // The connection; only the store module sees inside (Impl is incomplete elsewhere).
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dogwatch
