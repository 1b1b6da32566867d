// dogwatch user add | passwd | list
#include <fmt/format.h>

#include "context.h"
#include "dogwatch/core/clock.h"
#include "dogwatch/core/crypto.h"
#include "password.h"

namespace dogwatch::cli {
namespace {

struct UserArgs {
  std::string email;
  bool password_stdin = false;
};

CLI::App* AddUserSubcommand(CLI::App& group, Context& ctx, const char* name, const char* help,
                            std::shared_ptr<UserArgs> args) {
  auto* cmd = group.add_subcommand(name, help);
  AddConfigOption(*cmd, ctx);
  AddOverride(*cmd, ctx, "--data-dir", "storage.data_dir", "Directory of the database");
  cmd->add_option("EMAIL", args->email, "The user's email address")->required();
  cmd->add_flag("--password-stdin", args->password_stdin, "Read the password from standard input");
  return cmd;
}

int AddUser(const Context& ctx, const UserArgs& args) {
  if (!PlausibleEmail(args.email)) {
    PrintError(fmt::format("email: '{}' is not an email address", args.email));
    return kExitUsage;
  }
  auto store = ctx.OpenStoreOrReport(OpenMode::kReadWrite);
  if (!store) return kExitFailure;
  if (store->FindUser(args.email)) {
    PrintError(fmt::format("user {} already exists (use `dogwatch user passwd`)", args.email));
    return kExitFailure;
  }
  auto password = ReadNewPassword(args.password_stdin);
  if (!password) {
    PrintError(password.error().message);
    return kExitFailure;
  }
  auto hash = HashPassword(*password);
  if (!hash) {
    PrintError(hash.error().message);
    return kExitFailure;
  }
  auto user = store->AddUser(args.email, *hash, SystemClock().Now());
  if (!user) {
    PrintError(user.error().message);
    return kExitFailure;
  }
  fmt::print(stderr, "user {} created\n", user->email);
  return kExitOk;
}

int ChangePassword(const Context& ctx, const UserArgs& args) {
  auto store = ctx.OpenStoreOrReport(OpenMode::kReadWrite);
  if (!store) return kExitFailure;
  if (!store->FindUser(args.email)) {
    PrintError(fmt::format("no user {}", args.email));
    return kExitFailure;
  }
  auto password = ReadNewPassword(args.password_stdin);
  auto hash = password ? HashPassword(*password) : Result<std::string>(password.error());
  if (!hash) {
    PrintError(hash.error().message);
    return kExitFailure;
  }
  if (auto st = store->SetPasswordHash(args.email, *hash); !st) {
    PrintError(st.error().message);
    return kExitFailure;
  }
  fmt::print(stderr, "password changed for {}\n", args.email);
  return kExitOk;
}

}  // namespace

void AddUserCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("user", "Manage user accounts (works on the database directly)");
  group->require_subcommand(1);

  auto add_args = std::make_shared<UserArgs>();
  AddUserSubcommand(*group, ctx, "add", "Create a user", add_args)->callback([&ctx, add_args] {
    ctx.action = [&ctx, add_args] { return AddUser(ctx, *add_args); };
  });

  auto pw_args = std::make_shared<UserArgs>();
  AddUserSubcommand(*group, ctx, "passwd", "Set a user's password", pw_args)->callback([&ctx, pw_args] {
    ctx.action = [&ctx, pw_args] { return ChangePassword(ctx, *pw_args); };
  });

  auto* list = group->add_subcommand("list", "List users");
  AddConfigOption(*list, ctx);
  AddOverride(*list, ctx, "--data-dir", "storage.data_dir", "Directory of the database");
  list->callback([&ctx] {
    ctx.action = [&ctx] {
      auto store = ctx.OpenStoreOrReport(OpenMode::kReadOnly);
      if (!store) return kExitFailure;
      for (const auto& u : store->ListUsers()) fmt::print("{}\t{}\n", u.email, FormatIsoZ(u.created));
      return kExitOk;
    };
  });
}

}  // namespace dogwatch::cli
