// The command line (SPEC §10): one binary, CLI11 subcommands. Runs on the main thread.
// Exit codes: 0 ok, 1 failure, 2 usage error.
#pragma once

namespace dogwatch {

int RunCli(int argc, char** argv);

}  // namespace dogwatch
