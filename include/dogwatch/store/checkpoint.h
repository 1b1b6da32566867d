// WAL checkpoints off the writer's thread (docs/architecture.md "Storage"). SQLite's automatic
// checkpoint runs inside the commit that pushes the WAL past 1,000 pages: the committing thread
// copies the pages into the database file and waits for two fdatasync()s. For the monitor, the
// only writer, that stall delays every ping of the batch and of the batches queued behind it.
#pragma once

#include "dogwatch/core/result.h"
#include "dogwatch/store/store.h"

namespace dogwatch {

struct CheckpointOptions {
  // A PASSIVE checkpoint on the background thread each time the WAL has grown by this many pages
  // (SQLite's wal_autocheckpoint default).
  int background_pages = 1000;
  // The hard limit. A PASSIVE checkpoint never blocks the writer, so under a steady stream of
  // commits it never catches up with the newest frame, and the WAL is only reset (written again
  // from its start) when a write begins with every frame checkpointed. Past this many pages the
  // writer checkpoints the remainder inside its commit, as SQLite's auto-checkpoint would, so the
  // WAL stays near this size whatever the load (with no reader holding an old snapshot).
  int writer_pages = 8000;
};

// Takes checkpointing over from `writer`'s commits (a wal_hook in place of wal_autocheckpoint)
// and starts the background thread, with its own connection, with the writer's `synchronous`.
// The thread is stopped and joined when `writer` is destroyed. A no-op for a database that is
// not in WAL mode. REQUIRES: called by the thread that owns `writer`, once, before its writes.
Status StartBackgroundCheckpoints(Store& writer, CheckpointOptions options = {});

}  // namespace dogwatch
