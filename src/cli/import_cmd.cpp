// dogwatch import --from URL --api-key KEY: copies checks (and the channels whose settings the
// source shows) from Healthchecks or another dogwatch into this one, through both v3 APIs.
// Idempotent: checks upsert on their slug (else name), channels match on name and kind.
#include <fmt/format.h>

#include <map>
#include <set>

#include "client_api.h"
#include "client_cmds.h"
#include "client_format.h"

namespace dogwatch::cli {
namespace {

using nlohmann::json;

struct ImportArgs {
  ApiTarget from;
  ApiTarget to;
  bool dry_run = false;
};

// The check fields that carry over, in the API's order.
constexpr const char* kCopiedFields[] = {
    "name",         "slug",       "tags",       "desc",          "grace",
    "timeout",      "schedule",   "tz",         "manual_resume", "methods",
    "start_kw",     "success_kw", "failure_kw", "filter_subject", "filter_body",
    "filter_http_body", "filter_default_fail"};

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

bool HasRedactedSecret(const json& value) {
  if (value.is_string()) return value.get<std::string>().find("…") != std::string::npos;
  if (value.is_structured()) {
    for (const auto& item : value) {
      if (HasRedactedSecret(item)) return true;
    }
  }
  return false;
}

std::string UniqueField(const json& check) { return Str(check, "slug").empty() ? "name" : "slug"; }
std::string UniqueValue(const json& check) { return Str(check, UniqueField(check).c_str()); }
std::string Label(const json& check) {
  return Str(check, "slug").empty() ? fmt::format("'{}'", Str(check, "name"))
                                     : fmt::format("'{}' (slug {})", Str(check, "name"), Str(check, "slug"));
}

class Importer {
 public:
  Importer(ApiClient& from, ApiClient& to, bool dry_run) : from_(from), to_(to), dry_run_(dry_run) {}

  int Run() {
    auto source = from_.Get("/api/v3/checks/");
    if (!source.ok() || !source.json.is_object() || !source.json["checks"].is_array()) {
      return SourceFailure(source);
    }
    auto dest = to_.Get("/api/v3/checks/");
    if (!dest.ok()) {
      PrintError(fmt::format("destination {}: {}", to_.base_url(), dest.error));
      return kExitFailure;
    }
    for (const auto& check : dest.json.value("checks", json::array())) {
      existing_.insert({UniqueField(check), UniqueValue(check)});
      existing_.insert({"name", Str(check, "name")});
    }
    const json& checks = source.json["checks"];
    bool read_only = !checks.empty() && Str(checks[0], "uuid").empty();
    if (read_only) {
      Note("the source key is read-only: channels and check-channel links are not copied");
    } else if (!CopyChannels()) {
      return kExitFailure;
    }
    return CopyChecks(checks);
  }

 private:
  void Note(const std::string& text) { fmt::print(stderr, "note: {}\n", text); }

  int SourceFailure(const ApiAnswer& answer) {
    std::string url = from_.base_url();
    if (answer.status == 401) {
      PrintError(fmt::format("source {}: {} (check --api-key)", url, answer.error));
    } else if (answer.status == 0 && !answer.not_json) {
      PrintError(fmt::format("source: {}", answer.error));
    } else {
      std::string got = answer.ok()      ? "JSON without a \"checks\" list"
                        : answer.not_json ? fmt::format("{} with {}, not JSON", answer.status,
                                                        answer.content_type.empty() ? "no content type"
                                                                                    : answer.content_type)
                                          : answer.error;
      PrintError(fmt::format("{} is not a Healthchecks-compatible API: GET /api/v3/checks/ "
                             "answered {}; give the server's base URL, without /api/...",
                             url, got));
    }
    return kExitFailure;
  }

  // Maps every source channel it can to a destination channel with the same name and kind,
  // creating those whose settings the source shows in full.
  bool CopyChannels() {
    auto source = from_.Get("/api/v3/channels/");
    if (!source.ok()) {
      Note(fmt::format("channels not copied: the source's channel list answered {}", source.error));
      return true;
    }
    auto dest = to_.Get("/api/v3/channels/");
    if (!dest.ok()) {
      PrintError(fmt::format("destination {}: {}", to_.base_url(), dest.error));
      return false;
    }
    std::map<std::pair<std::string, std::string>, std::string> by_name_kind;
    for (const auto& c : dest.json.value("channels", json::array())) {
      by_name_kind.emplace(std::pair(Str(c, "name"), Str(c, "kind")), Str(c, "id"));
    }
    for (const auto& c : source.json.value("channels", json::array())) {
      std::string id = Str(c, "id"), name = Str(c, "name"), kind = Str(c, "kind");
      std::string what = fmt::format("channel '{}' ({})", name, kind);
      if (auto it = by_name_kind.find({name, kind}); it != by_name_kind.end()) {
        channel_map_[id] = it->second;
        fmt::print(stderr, "{} exists in the destination\n", what);
        continue;
      }
      // dogwatch shows a channel's settings with secrets cut; Healthchecks shows none.
      auto detail = from_.Get("/api/v3/channels/" + id);
      if (!detail.ok() || !detail.json.contains("value") || HasRedactedSecret(detail.json["value"])) {
        Note(fmt::format("{} not copied: {}; create it in the destination with the same name and "
                         "kind, then run import again to attach it to its checks",
                         what, detail.ok() ? "the source API does not show its secrets"
                                           : "the source API does not show its settings"));
        continue;
      }
      if (dry_run_) {
        channel_map_[id] = "(new)";
        fmt::print(stderr, "would create {}\n", what);
        continue;
      }
      auto created = to_.Post("/api/v3/channels/",
                              {{"name", name}, {"kind", kind}, {"value", detail.json["value"]}});
      if (!created.ok()) {
        Note(fmt::format("{} not copied: {}", what, created.error));
        if (created.status == 0) return false;
        continue;
      }
      channel_map_[id] = Str(created.json, "id");
      by_name_kind.emplace(std::pair(name, kind), channel_map_[id]);
      fmt::print(stderr, "created {}\n", what);
    }
    return true;
  }

  json Payload(const json& check, int& unmapped) {
    json payload = json::object();
    for (const char* field : kCopiedFields) {
      if (check.contains(field) && !check[field].is_null()) payload[field] = check[field];
    }
    if (!check.contains("start_kw") && check.contains("subject")) {  // older Healthchecks
      payload["subject"] = check["subject"];
      payload["subject_fail"] = check.value("subject_fail", json(""));
    }
    payload["unique"] = {UniqueField(check)};
    if (check.contains("channels") && check["channels"].is_string()) {
      std::string channels;
      for (const auto& id : SplitCommas(check["channels"].get<std::string>())) {
        auto it = channel_map_.find(id);
        if (it == channel_map_.end()) {
          ++unmapped;
          continue;
        }
        channels += (channels.empty() ? "" : ",") + it->second;
      }
      payload["channels"] = channels;
    }
    return payload;
  }

  int CopyChecks(const json& checks) {
    std::vector<std::string> done, failed, not_tried;
    int created = 0, updated = 0, unmapped_total = 0;
    std::set<std::pair<std::string, std::string>> seen;
    bool stopped = false;
    for (const auto& check : checks) {
      std::string label = Label(check);
      if (stopped) {
        not_tried.push_back(label);
        continue;
      }
      if (!seen.insert({UniqueField(check), UniqueValue(check)}).second) {
        Note(fmt::format("{}: another source check has the same {}; it updates that one",
                         label, UniqueField(check)));
      }
      int unmapped = 0;
      json payload = Payload(check, unmapped);
      unmapped_total += unmapped;
      if (dry_run_) {
        bool exists = existing_.count({UniqueField(check), UniqueValue(check)}) > 0;
        fmt::print(stderr, "would {} check {}\n", exists ? "update" : "create", label);
        continue;
      }
      auto answer = to_.Post("/api/v3/checks/", payload);
      if (!answer.ok()) {
        PrintError(fmt::format("check {}: {}", label, answer.error));
        failed.push_back(label);
        if (answer.status == 0 || answer.status == 401) stopped = true;
        continue;
      }
      (answer.status == 201 ? created : updated) += 1;
      done.push_back(label);
      fmt::print(stderr, "{} check {}\n", answer.status == 201 ? "created" : "updated", label);
    }
    if (unmapped_total > 0) {
      Note(fmt::format("{} links from checks to channels were not copied (their channels were not)",
                       unmapped_total));
    }
    if (dry_run_) {
      fmt::print(stderr, "dry run: nothing was written ({} checks in the source)\n", checks.size());
      return kExitOk;
    }
    fmt::print(stderr, "imported {} of {} checks ({} created, {} updated)\n", done.size(),
               checks.size(), created, updated);
    if (failed.empty() && not_tried.empty()) return kExitOk;
    if (!failed.empty()) fmt::print(stderr, "failed: {}\n", fmt::join(failed, ", "));
    if (!not_tried.empty()) fmt::print(stderr, "not imported: {}\n", fmt::join(not_tried, ", "));
    return kExitFailure;
  }

  ApiClient& from_;
  ApiClient& to_;
  bool dry_run_;
  std::map<std::string, std::string> channel_map_;  // source channel id -> destination id
  std::set<std::pair<std::string, std::string>> existing_;  // (unique field, value) in the destination
};

int RunImport(const Context& ctx, ImportArgs& args) {
  if (!ResolveApiTarget(ctx, args.to)) return kExitUsage;
  auto from = ApiClient::Make(args.from);
  if (!from) {
    PrintError("--from: " + from.error().message);
    return kExitUsage;
  }
  auto to = ApiClient::Make(args.to);
  if (!to) {
    PrintError("--to-url: " + to.error().message);
    return kExitUsage;
  }
  return Importer(**from, **to, args.dry_run).Run();
}

}  // namespace

void AddImportCommand(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ImportArgs>();
  auto* cmd = app.add_subcommand(
      "import", "Copy checks and channels from Healthchecks or another dogwatch into this one");
  cmd->add_option("--from", args->from.url, "The source's base URL (https://healthchecks.io)")
      ->required();
  cmd->add_option("--api-key", args->from.api_key, "The source project's API key")->required();
  cmd->add_option("--to-url", args->to.url,
                  "Destination's base URL (default: $DOGWATCH_URL, else the config's base_url)");
  cmd->add_option("--to-api-key", args->to.api_key,
                  "Destination project's read-write API key (default: $DOGWATCH_API_KEY)");
  cmd->add_flag("--dry-run", args->dry_run, "Say what would be copied; write nothing");
  AddConfigOption(*cmd, ctx);
  cmd->callback([&ctx, args] { ctx.action = [&ctx, args] { return RunImport(ctx, *args); }; });
}

}  // namespace dogwatch::cli
