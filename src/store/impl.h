// Private to the store module: the connection behind a Store, and helpers that turn rows into
// model types. REQUIRES: used only by the thread that owns the Store.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "dogwatch/store/checkpoint.h"
#include "dogwatch/store/store.h"

namespace dogwatch {
namespace store_internal {

// The writer's WAL checkpoints (checkpoint.h). OnCommit runs on the writer's thread (SQLite's
// wal_hook, after each commit); Run on a thread of its own, with its own connection.
class Checkpointer {
 public:
  Checkpointer(sqlite3* writer, std::unique_ptr<SQLite::Database> conn, CheckpointOptions options);
  // Detaches the hook from the writer, then stops and joins the thread.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

 private:
  static int Hook(void* self, sqlite3* db, const char* name, int pages);
  void OnCommit(sqlite3* db, const char* name, int pages);
  void Run();

  sqlite3* writer_;
  std::unique_ptr<SQLite::Database> conn_;
  CheckpointOptions options_;
  int signalled_at_ = 0;  // writer thread: the WAL's size at the last wake-up
  uint64_t writer_runs_ = 0, writer_busy_ = 0;  // writer thread
  uint64_t background_runs_ = 0;                // the checkpointer's thread
  // Set by the writer while the WAL is past writer_pages: the thread starts no checkpoint then,
  // leaving the checkpoint lock to the writer's.
  std::atomic<bool> over_limit_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool pending_ = false, stop_ = false;
  std::thread thread_;
};

}  // namespace store_internal

struct Store::Impl {
  SQLite::Database db;
  std::string path;
  // Prepared statements by the address of their constexpr SQL text: preparing once matters on
  // the monitor's hot path, where one batch runs hundreds of inserts.
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> cache;
  // Declared last, so destroyed first: its hook points into it.
  std::unique_ptr<store_internal::Checkpointer> checkpointer;

  Impl(const std::string& p, int flags) : db(p, flags, /*busy_timeout_ms=*/5000), path(p) {}

  // A cached statement, reset when the guard goes out of scope: a statement left mid-step would
  // hold its read snapshot open, so later reads on this connection would see stale data.
  class Stmt {
   public:
    explicit Stmt(SQLite::Statement& q) : q_(q) {}
    ~Stmt() {
      q_.tryReset();
      q_.clearBindings();
    }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    SQLite::Statement* operator->() { return &q_; }
    SQLite::Statement& operator*() { return q_; }

   private:
    SQLite::Statement& q_;
  };

  // REQUIRES: sql points at storage with static duration (a constexpr string_view's data).
  SQLite::Statement& Prepared(std::string_view sql) {
    auto& stmt = cache[sql.data()];
    if (!stmt) stmt = std::make_unique<SQLite::Statement>(db, std::string(sql));
    return *stmt;
  }
};

// Usage: DW_CACHED(q, kSql); q->bind(1, x); while (q->executeStep()) ...
#define DW_CACHED(name, sql) ::dogwatch::Store::Impl::Stmt name(impl_->Prepared(sql))

namespace store_internal {

int ApplicationId();

// Applies every migration newer than the file's user_version, one transaction each.
Status Migrate(SQLite::Database& db);

inline std::optional<TimePoint> OptTime(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return FromUnixMicros(c.getInt64());
}
inline TimePoint Time(const SQLite::Column& c) { return FromUnixMicros(c.getInt64()); }
inline int64_t Us(TimePoint t) { return ToUnixMicros(t); }

// Binds an optional value, or NULL.
inline void BindOpt(SQLite::Statement& q, int i, const std::optional<TimePoint>& t) {
  if (t) q.bind(i, static_cast<int64_t>(ToUnixMicros(*t))); else q.bind(i);
}
inline void BindOpt(SQLite::Statement& q, int i, const std::optional<std::string>& s) {
  if (s) q.bind(i, *s); else q.bind(i);
}
inline void BindOpt(SQLite::Statement& q, int i, const std::optional<Micros>& d) {
  if (d) q.bind(i, static_cast<int64_t>(d->count())); else q.bind(i);
}
inline void BindOpt(SQLite::Statement& q, int i, const std::optional<int>& v) {
  if (v) q.bind(i, *v); else q.bind(i);
}

// Maps a failed constraint or I/O error to a Result error.
Error FromException(const SQLite::Exception& e, std::string_view what);

}  // namespace store_internal
}  // namespace dogwatch
