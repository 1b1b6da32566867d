// dogwatch reload: checks the config file the way the server will, then sends the running
// server SIGHUP. A bad file is reported here, with its file:line:col, and the server is left alone.
#include <signal.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "context.h"
#include "dogwatch/app/app.h"

namespace dogwatch::cli {

void AddReloadCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("reload", "Tell the running server to re-read its config file");
  AddConfigOption(*cmd, ctx);
  AddOverride(*cmd, ctx, "--data-dir", "storage.data_dir", "Directory of the database (and dogwatch.pid)");
  cmd->callback([&ctx] {
    ctx.action = [&ctx] {
      auto config = ctx.LoadConfigOrReport();
      if (!config) return kExitFailure;
      if (auto st = ValidateConfigDeclarations(*config); !st) {
        PrintError(st.error().message);
        return kExitFailure;
      }
      const std::string pid_file = PidFilePath(*config);
      std::ifstream in(pid_file);
      long pid = 0;
      if (!(in >> pid) || pid <= 1) {
        PrintError(fmt::format("no running server found ({} is missing); is dogwatch serve running with this "
                               "config?",
                               pid_file));
        return kExitFailure;
      }
      // A pid file left by a server that was killed may name some other process by now, and
      // SIGHUP would end most programs: signal only a dogwatch.
      std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
      std::string name;
      if (!std::getline(comm, name) || name.rfind("dogwatch", 0) != 0) {
        PrintError(fmt::format("no running server found: pid {} in {} is {}", pid, pid_file,
                               name.empty() ? "not running" : "'" + name + "', not dogwatch"));
        return kExitFailure;
      }
      if (::kill(static_cast<pid_t>(pid), SIGHUP) != 0) {
        PrintError(fmt::format("cannot signal pid {} from {}: {}", pid, pid_file, std::strerror(errno)));
        return kExitFailure;
      }
      fmt::print(stderr, "dogwatch: {} is valid; reload sent to pid {}\n", config->source, pid);
      return kExitOk;
    };
  });
}

}  // namespace dogwatch::cli
