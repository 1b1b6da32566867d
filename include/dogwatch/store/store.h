// Store: one SQLite connection to dogwatch.db and every SQL statement dogwatch runs (DESIGN.md
// "Storage"). A Store is owned by one thread at a time: the monitor holds the only writer, each
// HTTP worker and each CLI command opens its own. Opening validates the file (refusing garbage,
// foreign and newer-version databases without touching them) and, for writers, applies the
// numbered forward-only migrations tracked by PRAGMA user_version.
#pragma once

#include <functional>
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

// A user's place in a project: role 'r' (read-only), 'w' (read-write) or 'm' (manager).
struct Membership {
  Project project;
  char role = 'w';
};

// A live web session (sessions table) and the user it belongs to.
struct SessionInfo {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string email;
  std::string csrf_token;
  TimePoint expires;
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
  // The stored Argon2id hash, for logging in. Empty when there is no such user.
  std::optional<std::pair<User, std::string>> FindUserWithHash(const std::string& email);
  std::optional<std::pair<User, std::string>> FindUserWithHashById(int64_t id);
  Status SetPasswordHashById(int64_t user_id, const std::string& password_hash);
  // First-run set-up: the first user and their project in one transaction. kAlreadyExists when
  // any user exists by then (two set-up requests racing: one wins).
  Result<std::pair<User, Project>> AddFirstUser(const std::string& email, const std::string& password_hash,
                                                const std::string& project_name, TimePoint now);

  // Web sessions, by the SHA-256 of their token (sessions.cpp). FindSession ignores expired ones.
  Status AddSession(int64_t user_id, const std::string& token_hash, const std::string& csrf_token,
                    TimePoint now, TimePoint expires);
  std::optional<SessionInfo> FindSession(const std::string& token_hash, TimePoint now);
  Status DeleteSession(const std::string& token_hash);
  // Ends every session of the user except the one with keep_token_hash (a password change).
  Status DeleteOtherSessions(int64_t user_id, const std::string& keep_token_hash);
  Status DeleteExpiredSessions(TimePoint now);

  // Project membership: what a user may see.
  std::vector<Membership> ListMemberships(int64_t user_id);
  std::optional<Membership> FindMembership(int64_t user_id, const std::string& project_uuid);

  // The instance's badge-signing secret, made on first use (settings table).
  Result<std::string> InstanceSecret();

  // Projects. Names are unique. The ping key and badge key are generated here.
  Result<Project> AddProject(const std::string& name, std::optional<int64_t> owner_id, TimePoint now);
  std::vector<ProjectSummary> ListProjects();
  std::optional<Project> FindProjectByName(const std::string& name);

  // API keys: Healthchecks' format (hcw_/hcr_ + 28 alphanumerics). Only a SHA-256 of the key is
  // stored; CreateApiKey returns the key itself, the one time it exists in clear.
  Result<std::string> CreateApiKey(int64_t project_id, bool read_only, const std::string& name,
                                   TimePoint now);
  std::vector<ApiKeyRow> ListApiKeys();
  std::vector<ApiKey> ListProjectApiKeys(int64_t project_id);
  // kNotFound unless the key exists and belongs to the project.
  Status RevokeProjectApiKey(int64_t project_id, int64_t key_id);
  // Revokes by numeric id (as `key list` shows it) or by the full key.
  Status RevokeApiKey(const std::string& id_or_key);
  std::optional<ApiKeyGrant> FindApiKey(const std::string& key);

  // Projects by their ping key (slug URLs) or id.
  std::optional<Project> FindProjectByPingKey(const std::string& ping_key);
  std::optional<Project> FindProject(int64_t id);
  // Badge URLs (reference §4.1) name projects and checks by their badge keys (badges.cpp).
  std::optional<Project> FindProjectByBadgeKey(const std::string& badge_key);
  std::optional<Check> FindCheckByBadgeKey(const std::string& badge_key);

  // Checks (checks.cpp). Times are stored as microseconds; alert_after is the durable deadline.
  std::vector<Check> LoadChecks();  // all of them (tests, small tools)
  // Calls fn for every check in id order without holding them all: the monitor's start-up with
  // a million checks would otherwise peak at a gigabyte of rows.
  void ForEachCheck(const std::function<void(Check&&)>& fn);
  int64_t CountChecks();
  std::optional<Check> FindCheck(const std::string& uuid);
  std::optional<Check> FindCheckById(int64_t id);
  std::vector<Check> ListChecks(int64_t project_id);
  Result<int64_t> InsertCheck(const Check& check);  // returns the new id
  Status UpdateCheck(const Check& check);           // every column, by id
  Status DeleteCheck(int64_t id);
  // Only the columns a ping or a deadline changes: the monitor's hot path.
  Status UpdateCheckRuntime(const Check& check);

  // Pings (pings.cpp).
  Status InsertPing(const Ping& ping);
  // Deletes the check's pings numbered n <= up_to_n (retention).
  Status PrunePings(int64_t check_id, int64_t up_to_n);
  // Newest first, only n > min_n, at most limit.
  std::vector<Ping> ListPings(int64_t check_id, int64_t min_n, int limit);
  std::optional<Ping> FindPing(int64_t check_id, int64_t n);

  // Flips and the notifications they fan out to (flips.cpp).
  Result<int64_t> InsertFlip(const Flip& flip);
  // Newest first; start inclusive, end exclusive.
  std::vector<Flip> ListFlips(int64_t check_id, std::optional<TimePoint> start,
                              std::optional<TimePoint> end);
  // One pending notification per enabled channel of the check; returns how many.
  Result<int> QueueNotifications(int64_t flip_id, int64_t check_id, CheckStatus status,
                                 TimePoint now);

  std::optional<Flip> FindFlip(int64_t id);
  // The newest flip of the check before `before` whose new status is `status` (downtime length).
  std::optional<Flip> LastFlipTo(int64_t check_id, CheckStatus status, TimePoint before);
  // The newest ping of the check created at or before t (an alert's "last ping").
  std::optional<Ping> LastPingAt(int64_t check_id, TimePoint t);

  // Channels (channels.cpp). Names need not be unique; uuids are.
  std::vector<Channel> ListChannels(int64_t project_id);
  std::optional<Channel> FindChannel(const std::string& uuid);
  std::optional<Channel> FindChannelById(int64_t id);
  Result<Channel> InsertChannel(Channel channel);  // fills id and uuid
  Status UpdateChannel(const Channel& channel);    // name, kind and value, by id
  Status DeleteChannel(int64_t id);                // detaches it from checks, drops its outbox
  // The outcome of a send, shown on the channel (SPEC §7): error is "" after a success.
  Status RecordChannelResult(int64_t channel_id, TimePoint when, Micros duration,
                             const std::string& error);

  // The notification outbox (notifications.cpp), used by the notifier only.
  // Claims the oldest due pending notification whose channel is not in `busy`, with a conditional
  // UPDATE (only one claimer wins a row); counts the attempt. nullopt when none is due.
  std::optional<Notification> ClaimNotification(TimePoint now, const std::vector<int64_t>& busy);
  // Ends a claim: delivered, failed for good, or pending again from next_attempt. Records the
  // attempt (time, duration, outcome, error).
  Status FinishNotification(int64_t id, NotificationState state,
                            std::optional<TimePoint> next_attempt, TimePoint started,
                            Micros duration, const std::string& error);
  // Releases claims left by a process that stopped mid-send: they are due again at once.
  Result<int> ReleaseStaleClaims(TimePoint now);
  // The earliest next_attempt among unclaimed pending notifications.
  std::optional<TimePoint> NextNotificationDue();
  // Pending notifications, claimed or not: the notifier's queue depth (GET /metrics).
  int64_t CountPendingNotifications();
  // Newest first (for the API, the UI and tests).
  std::vector<Notification> ListNotifications(int64_t channel_id, int limit);
  std::vector<std::string> CheckChannelUuids(int64_t check_id);  // sorted
  Status SetCheckChannels(int64_t check_id, const std::vector<int64_t>& channel_ids);

  // Explicit transactions, for the monitor's group commit. Begin takes the write lock at once.
  void Begin();
  void Commit();
  void Rollback();

  // A consistent copy of the whole database at dest_path, taken inside one read transaction
  // while writers continue (WAL). Written to a temporary file beside dest_path and renamed, so
  // dest_path is either the old file or a complete new one.
  Status Backup(const std::string& dest_path);

  // The connection; only the store module sees inside (Impl is incomplete elsewhere).
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  Project InsertProjectLocked(const std::string& name, std::optional<int64_t> owner_id, TimePoint now);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dogwatch
