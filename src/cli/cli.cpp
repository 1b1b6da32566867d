#include "dogwatch/cli/cli.h"

#include <fmt/format.h>

#include <iostream>

#include "context.h"
#include "dogwatch/app/app.h"
#include "dogwatch/core/log.h"
#include "version.h"

namespace dogwatch {
namespace cli {

void PrintError(const std::string& message) { std::cerr << "dogwatch: " << message << "\n"; }

void AddConfigOption(CLI::App& cmd, Context& ctx) {
  cmd.add_option("--config", ctx.config_path,
                 "Config file (default: ./dogwatch.toml, then /etc/dogwatch/dogwatch.toml)");
}

void AddOverride(CLI::App& cmd, Context& ctx, const std::string& flag, const std::string& key,
                 const std::string& help) {
  // The last of repeated flags wins, as it would if they were applied in order.
  cmd.add_option_function<std::string>(
         flag, [&ctx, key](const std::string& value) { ctx.overrides.emplace_back(key, value); },
         help)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

std::optional<Config> Context::LoadConfigOrReport() const {
  auto config = LoadConfig({.path = config_path, .env = EnvironmentVars(), .flags = overrides});
  if (!config) {
    PrintError(config.error().message);
    return std::nullopt;
  }
  return *std::move(config);
}

std::unique_ptr<Store> Context::OpenStoreOrReport(OpenMode mode) const {
  auto config = LoadConfigOrReport();
  if (!config) return nullptr;
  auto store = Store::Open({.path = DatabasePath(*config),
                            .mode = mode,
                            .full_durability = config->storage.durability == Durability::kFull});
  if (!store) {
    PrintError(store.error().message);
    return nullptr;
  }
  return *std::move(store);
}

}  // namespace cli

int RunCli(int argc, char** argv) {
  cli::Context ctx;
  CLI::App app{"dogwatch: a dead man's switch for cron jobs, compatible with Healthchecks.io",
               "dogwatch"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(cli::kVersion));
  cli::AddServeCommand(app, ctx);
  cli::AddConfigCommands(app, ctx);
  cli::AddUserCommands(app, ctx);
  cli::AddProjectCommands(app, ctx);
  cli::AddKeyCommands(app, ctx);
  cli::AddBackupCommand(app, ctx);
  cli::AddScheduleCommands(app, ctx);
  cli::AddReloadCommand(app, ctx);
  cli::AddJobCommands(app, ctx);
  cli::AddClientCommands(app, ctx);
  app.add_subcommand("version", "Print the version")->callback([&ctx] {
    ctx.action = [] {
      fmt::print("dogwatch {}\n", cli::kVersion);
      return cli::kExitOk;
    };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help, version or the error
    return code == 0 ? cli::kExitOk : cli::kExitUsage;
  }
  return ctx.action ? ctx.action() : cli::kExitUsage;
}

}  // namespace dogwatch
