// App: wires the modules into a running server and owns start-up and shutdown order
// (DESIGN.md "Threads and ownership"). Serve() runs on the main thread and returns the process
// exit status.
#pragma once

#include <functional>
#include <string>

#include "dogwatch/config/config.h"

namespace dogwatch {

struct ServeOptions {
  std::string port_file;  // when set, the bound port is written here once listening
  // Reads the config again, as at start-up (SIGHUP); unset: reload does nothing.
  std::function<Result<Config>()> reload;
};

// The database file for a config: <data_dir>/dogwatch.db.
std::string DatabasePath(const Config& config);
// <data_dir>/dogwatch.pid: the running server's process id, for `dogwatch reload`.
std::string PidFilePath(const Config& config);
// What the file alone cannot say about its [[check]] and [[channel]] tables (schedules, time
// zones, channel settings); "file:line:col: reason". For `dogwatch reload` and `config check`.
Status ValidateConfigDeclarations(const Config& config);
// [server.tls]'s certificate and key as the server will load them; the error names the key and
// the file. For `config check`.
Status ValidateTlsFiles(const Config& config);

// Binds, opens the store, serves until SIGTERM or SIGINT, and shuts down in order: stop
// accepting, finish requests in flight, close the store. Returns 0 after a clean stop, 1 when
// start-up fails (the reason is logged as one line).
int Serve(const Config& config, const ServeOptions& options);

}  // namespace dogwatch
