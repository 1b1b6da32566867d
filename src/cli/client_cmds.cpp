// dogwatch check | import-crontab | import: day-to-day commands through a server's API (SPEC §10).
#include "client_cmds.h"

namespace dogwatch::cli {

void AddClientCommands(CLI::App& app, Context& ctx) {
  AddCheckCommands(app, ctx);
  AddImportCrontabCommand(app, ctx);
  AddImportCommand(app, ctx);
}

}  // namespace dogwatch::cli
