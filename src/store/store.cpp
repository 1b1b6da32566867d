#include "dogwatch/store/store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "dogwatch/core/ids.h"
#include "dogwatch/core/log.h"
#include "impl.h"

namespace dogwatch {
namespace {

using store_internal::ApplicationId;

enum class FileState { kAbsent, kEmpty, kPresent, kUnreadable };

// Only stat(): opening and closing the database file outside SQLite would drop every POSIX lock
// this process holds on it (close() releases all of them), and another process could then think
// it is the last connection and delete the -shm file under us.
FileState ProbeFile(const std::string& path, std::string& why) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return FileState::kAbsent;
    why = std::strerror(errno);
    return FileState::kUnreadable;
  }
  if (!S_ISREG(st.st_mode)) {
    why = "not a regular file";
    return FileState::kUnreadable;
  }
  return st.st_size == 0 ? FileState::kEmpty : FileState::kPresent;
}

// Reads the file with a read-only connection and decides whether it is ours and not newer.
// Nothing is written, so a refused file is left exactly as it was.
Status Inspect(const std::string& path) {
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    int app_id = db.execAndGet("PRAGMA application_id").getInt();
    int version = db.execAndGet("PRAGMA user_version").getInt();
    int tables = db.execAndGet("SELECT count(*) FROM sqlite_master").getInt();
    if (app_id != ApplicationId() && (app_id != 0 || tables > 0 || version != 0)) {
      return Fail(Errc::kInvalidArgument,
                  "{}: is a SQLite database but not a dogwatch database; refusing to touch it", path);
    }
    if (version > LatestSchemaVersion()) {
      return Fail(Errc::kInvalidArgument,
                  "{}: was written by a newer dogwatch (schema version {}, this binary knows up to "
                  "{}); upgrade dogwatch or restore a backup",
                  path, version, LatestSchemaVersion());
    }
    return Ok();
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB) {
      return Fail(Errc::kInvalidArgument,
                  "{}: is not a SQLite database (not a dogwatch database?); refusing to touch it",
                  path);
    }
    return Fail(Errc::kInvalidArgument, "{}: is damaged or not a database ({}); refusing to touch it",
                path, e.what());
  }
}

Status EnsureDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(Errc::kUnavailable, "data_dir {}: cannot create it: {}", dir, ec.message());
  if (!std::filesystem::is_directory(dir, ec))
    return Fail(Errc::kUnavailable, "data_dir {}: exists and is not a directory", dir);
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return Fail(Errc::kUnavailable, "data_dir {}: not writable: {}", dir, std::strerror(errno));
  return Ok();
}

void ApplyPragmas(SQLite::Database& db, bool full_durability) {
  db.exec("PRAGMA journal_mode = WAL");
  db.exec(full_durability ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  // 16 MiB of page cache for the writer: the checks table and the tail of pings stay in memory.
  db.exec("PRAGMA cache_size = -16384");
}

// Process-wide SQLite settings, before the first connection (sqlite3_config fails after
// sqlite3_initialize). Memory statistics off: with them on, every malloc and free inside SQLite
// takes a global mutex to count bytes, and nothing here reads the counts.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

namespace store_internal {

Checkpointer::Checkpointer(sqlite3* writer, std::unique_ptr<SQLite::Database> conn,
                           CheckpointOptions options)
    : writer_(writer), conn_(std::move(conn)), options_(options) {
  thread_ = std::thread([this] { Run(); });
  // Replaces the writer's automatic checkpoint (itself a wal_hook).
  sqlite3_wal_hook(writer_, &Checkpointer::Hook, this);
}

Checkpointer::~Checkpointer() {
  sqlite3_wal_hook(writer_, nullptr, nullptr);
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  thread_.join();
  // How the WAL was kept short: writer runs are stalls of the writer, what this class avoids.
  log::Info("wal_checkpoints background={} writer={} writer_busy={}", background_runs_,
            writer_runs_, writer_busy_);
}

int Checkpointer::Hook(void* self, sqlite3* db, const char* name, int pages) {
  static_cast<Checkpointer*>(self)->OnCommit(db, name, pages);
  // Never an error: the commit has happened, and an error here would make it look failed.
  return SQLITE_OK;
}

void Checkpointer::OnCommit(sqlite3* db, const char* name, int pages) {
  if (pages < signalled_at_) signalled_at_ = 0;  // the WAL was reset
  bool over = pages >= options_.writer_pages;
  if (over != over_limit_.load(std::memory_order_relaxed))
    over_limit_.store(over, std::memory_order_relaxed);
  if (over) {
    // The background thread cannot finish while commits keep coming; copy the rest here so the
    // next write resets the WAL. SQLITE_BUSY (the thread is in the middle of a checkpoint; it
    // starts no other while the WAL is over the limit) is retried at the next commit.
    int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    ++(rc == SQLITE_BUSY ? writer_busy_ : writer_runs_);
    return;
  }
  if (pages - signalled_at_ < options_.background_pages) return;
  signalled_at_ = pages;
  {
    std::lock_guard lock(mu_);
    pending_ = true;
  }
  cv_.notify_one();
}

void Checkpointer::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return pending_ || stop_; });
    if (stop_) return;
    pending_ = false;
    if (over_limit_.load(std::memory_order_relaxed)) continue;  // the writer's turn
    lock.unlock();
    // Copies every frame committed so far that no reader still needs; never blocks the writer.
    int rc = sqlite3_wal_checkpoint_v2(conn_->getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                       nullptr, nullptr);
    ++background_runs_;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      log::Warn("wal_checkpoint_failed error={}", log::Quote(sqlite3_errmsg(conn_->getHandle())));
    }
    lock.lock();
  }
}

Error FromException(const SQLite::Exception& e, std::string_view what) {
  int code = e.getErrorCode() & 0xff;
  if (code == SQLITE_CONSTRAINT) return {Errc::kAlreadyExists, fmt::format("{}: already exists", what)};
  if (code == SQLITE_FULL) return {Errc::kUnavailable, fmt::format("{}: disk full", what)};
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    return {Errc::kUnavailable, fmt::format("{}: database busy", what)};
  return {Errc::kInternal, fmt::format("{}: {}", what, e.what())};
}

}  // namespace store_internal

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

const std::string& Store::path() const { return impl_->path; }

int Store::SchemaVersion() { return impl_->db.execAndGet("PRAGMA user_version").getInt(); }

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  const std::string& path = options.path;
  if (options.mode == OpenMode::kReadWrite) {
    auto dir = std::filesystem::path(path).parent_path().string();
    if (auto st = EnsureDirectory(dir.empty() ? "." : dir); !st) return st.error();
  }
  std::string why;
  FileState state = ProbeFile(path, why);
  switch (state) {
    case FileState::kUnreadable:
      return Fail(Errc::kUnavailable, "{}: cannot read: {}", path, why);
    case FileState::kPresent:
      if (auto st = Inspect(path); !st) return st.error();
      break;
    case FileState::kAbsent:
    case FileState::kEmpty:
      if (options.mode == OpenMode::kReadOnly)
        return Fail(Errc::kNotFound, "{}: no database here yet", path);
      break;
  }
  bool creating = state == FileState::kAbsent;
  try {
    ConfigureSqliteOnce();
    // NOMUTEX: a Store is used by one thread at a time (store.h), so the connection's own mutex
    // (taken on every sqlite3_step, bind and column call) guards nothing.
    int flags = (options.mode == OpenMode::kReadOnly ? SQLite::OPEN_READWRITE
                                                     : SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX;
    auto impl = std::make_unique<Impl>(path, flags);
    if (options.mode == OpenMode::kReadWrite) {
      ApplyPragmas(impl->db, options.full_durability);
      if (auto st = store_internal::Migrate(impl->db); !st) return st.error();
    } else {
      impl->db.exec("PRAGMA foreign_keys = ON");
      impl->db.exec("PRAGMA query_only = ON");
    }
    return std::unique_ptr<Store>(new Store(std::move(impl)));
  } catch (const SQLite::Exception& e) {
    if (creating) {
      // A file we created and could not initialise holds nothing: leave no partial file behind.
      for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
    }
    return Fail(Errc::kUnavailable, "{}: cannot open database: {}", path, e.what());
  }
}

Status StartBackgroundCheckpoints(Store& writer, CheckpointOptions options) {
  auto& impl = writer.impl();
  if (impl.checkpointer) return Ok();
  try {
    if (impl.db.execAndGet("PRAGMA journal_mode").getString() != "wal") return Ok();
    int synchronous = impl.db.execAndGet("PRAGMA synchronous").getInt();
    auto conn = std::make_unique<SQLite::Database>(
        impl.path, SQLite::OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, /*busy_timeout_ms=*/5000);
    // The checkpoint's fdatasync()s follow its own connection's setting: the writer's.
    conn->exec(fmt::format("PRAGMA synchronous = {}", synchronous));
    conn->exec("PRAGMA cache_size = -256");
    // The first read opens the WAL; a checkpoint on a connection that has not would do nothing.
    conn->execAndGet("SELECT count(*) FROM sqlite_master");
    impl.checkpointer = std::make_unique<store_internal::Checkpointer>(impl.db.getHandle(),
                                                                       std::move(conn), options);
    return Ok();
  } catch (const SQLite::Exception& e) {
    return Fail(Errc::kUnavailable, "{}: cannot start the WAL checkpointer: {}", impl.path, e.what());
  }
}

Status Store::Backup(const std::string& dest_path) {
  namespace fs = std::filesystem;
  fs::path dest(dest_path);
  fs::path dir = dest.parent_path().empty() ? fs::path(".") : dest.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return Fail(Errc::kInvalidArgument, "{}: directory {} does not exist", dest_path, dir.string());
  if (fs::is_directory(dest, ec))
    return Fail(Errc::kInvalidArgument, "{}: is a directory; give a file name", dest_path);
  std::string tmp = (dir / ("." + dest.filename().string() + ".tmp-" + RandomAlnum(8))).string();
  try {
    // Readers run with query_only, which VACUUM INTO trips over although it writes only the copy.
    impl_->db.exec("PRAGMA query_only = OFF");
    // VACUUM INTO reads inside one transaction: a consistent snapshot that never blocks the
    // writer under WAL, written compacted to a fresh file.
    SQLite::Statement vacuum(impl_->db, "VACUUM INTO ?");
    vacuum.bind(1, tmp);
    vacuum.exec();
  } catch (const SQLite::Exception& e) {
    ::unlink(tmp.c_str());
    return Fail(Errc::kUnavailable, "backup to {} failed: {}", dest_path, e.what());
  }
  // The copy holds channel secrets (webhook URLs, bot tokens) and password hashes: owner only,
  // whatever the umask of the cron job that made it.
  ::chmod(tmp.c_str(), 0600);
  int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!synced || ::rename(tmp.c_str(), dest_path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Fail(Errc::kUnavailable, "backup to {} failed: {}", dest_path, std::strerror(err));
  }
  return Ok();
}

}  // namespace dogwatch
