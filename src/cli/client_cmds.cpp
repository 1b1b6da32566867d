// dogwatch check | import-crontab | import: being built (issue 7); registers nothing yet.
#include "context.h"

namespace dogwatch::cli {

void AddClientCommands(CLI::App&, Context&) {}

}  // namespace dogwatch::cli
