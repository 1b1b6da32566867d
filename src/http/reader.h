// Each HTTP worker thread keeps its own read-only connection (DESIGN.md: one connection per
// thread; WAL lets reads run beside the monitor's writer). REQUIRES: called on a worker thread.
#pragma once

#include <string>

#include "dogwatch/store/store.h"

namespace dogwatch::http_internal {

// The calling thread's reader for the database at path, opened on first use.
Result<Store*> ThreadReader(const std::string& path);

}  // namespace dogwatch::http_internal
