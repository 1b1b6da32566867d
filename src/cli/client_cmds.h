// The commands that work through a server's Management API (issue 7): `check ...` (client_check.cpp),
// `import-crontab` (crontab_cmd.cpp) and `import` (import_cmd.cpp). Private to the cli module;
// main thread only.
#pragma once

#include "context.h"

namespace dogwatch::cli {

void AddCheckCommands(CLI::App& app, Context& ctx);
void AddImportCrontabCommand(CLI::App& app, Context& ctx);
void AddImportCommand(CLI::App& app, Context& ctx);

}  // namespace dogwatch::cli
