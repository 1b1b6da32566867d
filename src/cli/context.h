// What every subcommand shares: --config, config overrides from flags, and the action chosen by
// the parse. Private to the cli module; main thread only.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "dogwatch/config/config.h"
#include "dogwatch/store/store.h"

namespace dogwatch::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct Context {
  std::string config_path;
  // ("section.key", value) from flags such as --listen and --data-dir, applied over the file.
  std::vector<std::pair<std::string, std::string>> overrides;
  // Set by the chosen subcommand's callback; run after parsing.
  std::function<int()> action;

  // Loads the effective config; prints the error and returns nullopt on failure.
  std::optional<Config> LoadConfigOrReport() const;
  // Opens the database named by the config, for administration commands.
  std::unique_ptr<Store> OpenStoreOrReport(OpenMode mode) const;
};

// Adds --config to a subcommand.
void AddConfigOption(CLI::App& cmd, Context& ctx);
// Adds a flag that overrides one config key (e.g. --data-dir for storage.data_dir).
void AddOverride(CLI::App& cmd, Context& ctx, const std::string& flag, const std::string& key,
                 const std::string& help);

// Prints "dogwatch: <message>" to stderr.
void PrintError(const std::string& message);

// One function per command group, each in its own file.
void AddServeCommand(CLI::App& app, Context& ctx);
void AddConfigCommands(CLI::App& app, Context& ctx);
void AddUserCommands(CLI::App& app, Context& ctx);
void AddProjectCommands(CLI::App& app, Context& ctx);
void AddKeyCommands(CLI::App& app, Context& ctx);
void AddBackupCommand(CLI::App& app, Context& ctx);
void AddScheduleCommands(CLI::App& app, Context& ctx);
void AddReloadCommand(CLI::App& app, Context& ctx);
// Commands for jobs and people at a terminal (issue 7), through the running server's HTTP APIs:
void AddJobCommands(CLI::App& app, Context& ctx);     // run, ping           (job_cmds.cpp)
void AddClientCommands(CLI::App& app, Context& ctx);  // check, import-crontab, import (client_cmds.cpp)

}  // namespace dogwatch::cli
