// Shell commands: command_down / command_up with Healthchecks' shell variables. Every value that
// comes from a user (name, tags) is inserted single-quoted, so a check named "x; rm -rf ~" stays
// one harmless word. The notifier runs the command only when [alerts] shell_enabled is on.
#include <fmt/format.h>

#include "kinds_internal.h"

namespace dogwatch::kind_internal {

Status CheckShell(Json& v, const Json*) {
  if (v["command_down"].get_ref<const std::string&>().empty() &&
      v["command_up"].get_ref<const std::string&>().empty())
    return FieldError("command_down", "expected a command in command_down or command_up (or both)");
  return Ok();
}

Result<Delivery> PlanShell(std::string_view kind, const Json& v, const Alert& alert) {
  // A test of a channel with only an "up" command runs that one, with $STATUS up.
  if (alert.is_test && !IsUp(alert) && v["command_down"].get_ref<const std::string&>().empty()) {
    Alert up = alert;
    up.status = CheckStatus::kUp;
    return PlanShell(kind, v, up);
  }
  const Alert& a = alert;
  const char* field = IsUp(a) ? "command_up" : "command_down";
  std::string command = v[field].get<std::string>();
  Delivery out;
  if (command.empty()) {
    out.skipped = fmt::format("{} is empty", field);
    return out;
  }
  // Healthchecks' order (hc/integrations/shell/transport.py); $TAG1 before $TAG10 as there.
  const Check& c = a.check;
  std::vector<std::pair<std::string, std::string>> ctx = {
      {"$CODE", c.uuid},
      {"$STATUS", std::string(StatusName(a))},
      {"$NOW", FormatIsoApi(a.flip_time)},
      {"$NAME", ShellQuote(c.name)},
      {"$TAGS", ShellQuote(c.tags)},
  };
  std::vector<std::string> tags = SplitTags(c.tags);
  for (size_t i = 0; i < tags.size(); ++i)
    ctx.emplace_back("$TAG" + std::to_string(i + 1), ShellQuote(tags[i]));
  out.shell_command = ReplacePlaceholders(command, ctx);
  return out;
}

}  // namespace dogwatch::kind_internal
