// Private to the store module: the connection behind a Store, and helpers that turn rows into
// model types. REQUIRES: used only by the thread that owns the Store.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <optional>
#include <string>

#include "dogwatch/store/store.h"

namespace dogwatch {

struct Store::Impl {
  SQLite::Database db;
  std::string path;
  Impl(const std::string& p, int flags) : db(p, flags, /*busy_timeout_ms=*/5000), path(p) {}
};

namespace store_internal {

int ApplicationId();

// Applies every migration newer than the file's user_version, one transaction each.
Status Migrate(SQLite::Database& db);

inline std::optional<TimePoint> OptTime(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  return FromUnixMicros(c.getInt64());
}
inline TimePoint Time(const SQLite::Column& c) { return FromUnixMicros(c.getInt64()); }

// Maps a failed constraint or I/O error to a Result error.
Error FromException(const SQLite::Exception& e, std::string_view what);

}  // namespace store_internal
}  // namespace dogwatch
