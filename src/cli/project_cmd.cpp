// dogwatch project add | list, and dogwatch key create | list | revoke
#include <fmt/format.h>

#include "context.h"
#include "dogwatch/core/clock.h"

namespace dogwatch::cli {
namespace {

void AddStoreOptions(CLI::App& cmd, Context& ctx) {
  AddConfigOption(cmd, ctx);
  AddOverride(cmd, ctx, "--data-dir", "storage.data_dir", "Directory of the database");
}

struct ProjectArgs {
  std::string name;
  std::string owner;
};

int AddProject(const Context& ctx, const ProjectArgs& args) {
  if (args.name.empty() || args.name.size() > 100) {
    PrintError("NAME: must be 1 to 100 characters");
    return kExitUsage;
  }
  auto store = ctx.OpenStoreOrReport(OpenMode::kReadWrite);
  if (!store) return kExitFailure;
  std::optional<int64_t> owner_id;
  if (!args.owner.empty()) {
    auto owner = store->FindUser(args.owner);
    if (!owner) {
      PrintError(fmt::format("--owner: no user {} (create it with `dogwatch user add`)", args.owner));
      return kExitFailure;
    }
    owner_id = owner->id;
  }
  auto project = store->AddProject(args.name, owner_id, SystemClock().Now());
  if (!project) {
    PrintError(project.error().code == Errc::kAlreadyExists
                   ? fmt::format("project '{}' already exists", args.name)
                   : project.error().message);
    return kExitFailure;
  }
  fmt::print("{}\n", project->ping_key);
  fmt::print(stderr, "project '{}' created; the line above is its ping key for /ping/<key>/<slug>\n",
             project->name);
  return kExitOk;
}

int ListProjects(const Context& ctx) {
  auto store = ctx.OpenStoreOrReport(OpenMode::kReadOnly);
  if (!store) return kExitFailure;
  fmt::print("NAME\tUUID\tOWNER\tCHECKS\tKEYS\tPING KEY\n");
  for (const auto& p : store->ListProjects()) {
    fmt::print("{}\t{}\t{}\t{}\t{}\t{}\n", p.project.name, p.project.uuid,
               p.owner_email.empty() ? "-" : p.owner_email, p.checks, p.api_keys, p.project.ping_key);
  }
  return kExitOk;
}

struct KeyArgs {
  std::string project;
  bool read_only = false;
  std::string name;
};

int CreateKey(const Context& ctx, const KeyArgs& args) {
  auto store = ctx.OpenStoreOrReport(OpenMode::kReadWrite);
  if (!store) return kExitFailure;
  auto project = store->FindProjectByName(args.project);
  if (!project) {
    PrintError(fmt::format("--project: no project named '{}'", args.project));
    return kExitFailure;
  }
  auto key = store->CreateApiKey(project->id, args.read_only, args.name, SystemClock().Now());
  if (!key) {
    PrintError(key.error().message);
    return kExitFailure;
  }
  // The key alone on stdout, so `KEY=$(dogwatch key create ...)` works. It is never shown again.
  fmt::print("{}\n", *key);
  return kExitOk;
}

int ListKeys(const Context& ctx) {
  auto store = ctx.OpenStoreOrReport(OpenMode::kReadOnly);
  if (!store) return kExitFailure;
  fmt::print("ID\tPROJECT\tACCESS\tPREFIX\tNAME\tCREATED\n");
  for (const auto& row : store->ListApiKeys()) {
    fmt::print("{}\t{}\t{}\t{}…\t{}\t{}\n", row.key.id, row.project_name,
               row.key.read_only ? "read-only" : "read-write", row.key.prefix,
               row.key.name.empty() ? "-" : row.key.name, FormatIsoZ(row.key.created));
  }
  return kExitOk;
}

int RevokeKey(const Context& ctx, const std::string& id_or_key) {
  auto store = ctx.OpenStoreOrReport(OpenMode::kReadWrite);
  if (!store) return kExitFailure;
  if (auto st = store->RevokeApiKey(id_or_key); !st) {
    PrintError(st.error().message);
    return kExitFailure;
  }
  fmt::print(stderr, "API key revoked\n");
  return kExitOk;
}

}  // namespace

void AddProjectCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("project", "Manage projects (works on the database directly)");
  group->require_subcommand(1);

  auto args = std::make_shared<ProjectArgs>();
  auto* add = group->add_subcommand("add", "Create a project and print its ping key");
  AddStoreOptions(*add, ctx);
  add->add_option("NAME", args->name, "Project name")->required();
  add->add_option("--owner", args->owner, "Email of the user who owns it");
  add->callback([&ctx, args] { ctx.action = [&ctx, args] { return AddProject(ctx, *args); }; });

  auto* list = group->add_subcommand("list", "List projects");
  AddStoreOptions(*list, ctx);
  list->callback([&ctx] { ctx.action = [&ctx] { return ListProjects(ctx); }; });
}

void AddKeyCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("key", "Manage API keys (works on the database directly)");
  group->require_subcommand(1);

  auto args = std::make_shared<KeyArgs>();
  auto* create = group->add_subcommand("create", "Create an API key and print it, once");
  AddStoreOptions(*create, ctx);
  create->add_option("--project", args->project, "Project name")->required();
  create->add_flag("--read-only", args->read_only, "A key that can read but not change anything");
  create->add_option("--name", args->name, "A label for the key");
  create->callback([&ctx, args] { ctx.action = [&ctx, args] { return CreateKey(ctx, *args); }; });

  auto* list = group->add_subcommand("list", "List API keys (prefixes only; keys are stored hashed)");
  AddStoreOptions(*list, ctx);
  list->callback([&ctx] { ctx.action = [&ctx] { return ListKeys(ctx); }; });

  auto target = std::make_shared<std::string>();
  auto* revoke = group->add_subcommand("revoke", "Revoke an API key by ID (from `key list`) or by value");
  AddStoreOptions(*revoke, ctx);
  revoke->add_option("KEY", *target, "ID or the key itself")->required();
  revoke->callback([&ctx, target] { ctx.action = [&ctx, target] { return RevokeKey(ctx, *target); }; });
}

}  // namespace dogwatch::cli
