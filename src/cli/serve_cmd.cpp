// dogwatch serve
#include "context.h"
#include "dogwatch/app/app.h"

namespace dogwatch::cli {

void AddServeCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("serve", "Run the server (HTTP API, pings, web UI)");
  auto options = std::make_shared<ServeOptions>();
  AddConfigOption(*cmd, ctx);
  AddOverride(*cmd, ctx, "--listen", "server.listen", "Address to listen on, host:port");
  AddOverride(*cmd, ctx, "--base-url", "server.base_url", "Public URL of this server");
  AddOverride(*cmd, ctx, "--data-dir", "storage.data_dir", "Directory of the database");
  AddOverride(*cmd, ctx, "--log-level", "log.level", "debug, info, warn or error");
  cmd->add_option("--port-file", options->port_file,
                  "Write the bound port to this file once listening (for tests with port 0)");
  cmd->callback([&ctx, options] {
    ctx.action = [&ctx, options] {
      auto config = ctx.LoadConfigOrReport();
      if (!config) return kExitFailure;
      // SIGHUP reads the same file with the same environment and flags as this start did.
      options->reload = [load = LoadOptions{.path = ctx.config_path, .env = EnvironmentVars(), .flags = ctx.overrides}] {
        return LoadConfig(load);
      };
      return Serve(*config, *options);
    };
  });
}

}  // namespace dogwatch::cli
