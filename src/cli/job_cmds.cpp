// dogwatch run | ping: being built (issue 7); registers nothing yet.
#include "context.h"

namespace dogwatch::cli {

void AddJobCommands(CLI::App&, Context&) {}

}  // namespace dogwatch::cli
