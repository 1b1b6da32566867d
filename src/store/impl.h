// Private to the store module: the connection behind a Store, and helpers that turn rows into
// model types. REQUIRES: used only by the thread that owns the Store.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "dogwatch/store/store.h"

namespace dogwatch {

struct Store::Impl {
  SQLite::Database db;
  std::string path;
  // Prepared statements by the address of their constexpr SQL text: preparing once matters on
  // the monitor's hot path, where one batch runs hundreds of inserts.
  std::unordered_map<const char*, std::unique_ptr<SQLite::Statement>> cache;

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
