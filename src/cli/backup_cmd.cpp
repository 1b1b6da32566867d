// dogwatch backup PATH
#include <fmt/format.h>

#include "context.h"

namespace dogwatch::cli {

void AddBackupCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "backup", "Write a consistent copy of the database to PATH (safe while the server runs)");
  auto dest = std::make_shared<std::string>();
  AddConfigOption(*cmd, ctx);
  AddOverride(*cmd, ctx, "--data-dir", "storage.data_dir", "Directory of the database");
  cmd->add_option("PATH", *dest, "Destination file (replaced atomically if it exists)")->required();
  cmd->callback([&ctx, dest] {
    ctx.action = [&ctx, dest] {
      auto store = ctx.OpenStoreOrReport(OpenMode::kReadOnly);
      if (!store) return kExitFailure;
      if (auto st = store->Backup(*dest); !st) {
        PrintError(st.error().message);
        return kExitFailure;
      }
      fmt::print(stderr, "backup written to {}\n", *dest);
      return kExitOk;
    };
  });
}

}  // namespace dogwatch::cli
