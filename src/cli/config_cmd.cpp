// dogwatch config check | default
#include <fmt/format.h>

#include "context.h"
#include "dogwatch/app/app.h"

namespace dogwatch::cli {

void AddConfigCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("config", "Validate or print the configuration");
  group->require_subcommand(1);

  auto* check = group->add_subcommand("check", "Validate the config and print the effective settings");
  AddConfigOption(*check, ctx);
  check->callback([&ctx] {
    ctx.action = [&ctx] {
      auto config = ctx.LoadConfigOrReport();
      if (!config) return kExitFailure;
      if (auto st = ValidateConfigDeclarations(*config); !st) {
        PrintError(st.error().message);
        return kExitFailure;
      }
      if (auto st = ValidateTlsFiles(*config); !st) {
        PrintError(st.error().message);
        return kExitFailure;
      }
      fmt::print("{}", RenderConfig(*config));
      return kExitOk;
    };
  });

  auto* def = group->add_subcommand("default", "Print the annotated example config");
  def->callback([&ctx] {
    ctx.action = [] {
      fmt::print("{}", ExampleConfig());
      return kExitOk;
    };
  });
}

}  // namespace dogwatch::cli
