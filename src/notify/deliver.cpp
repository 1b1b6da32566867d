#include "deliver.h"

#include <fmt/format.h>

#include "dogwatch/notify/kinds.h"
#include "shell_send.h"

namespace dogwatch::notify_internal {

SendOutcome Deliver(const Channel& channel, const Alert& alert, const DeliverOptions& options,
                    TimePoint now, std::string* skipped) {
  nlohmann::json value = nlohmann::json::parse(channel.value, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return SendOutcome::Permanent("the channel's stored settings are not valid JSON");
  auto plan = PlanDelivery(channel.kind, value, alert);
  if (!plan) return SendOutcome::Permanent(plan.error().message);
  if (!plan->skipped.empty()) {
    if (skipped) *skipped = plan->skipped;
    return SendOutcome::Delivered();
  }
  for (const OutboundRequest& request : plan->requests) {
    SendOutcome outcome = SendHttp(channel.kind, request, options.http);
    if (!outcome.ok()) return outcome;
  }
  if (plan->mail) {
    if (options.smtp.host.empty())
      return SendOutcome::Permanent("email is not configured: set [smtp] host in the config file");
    SendOutcome outcome = SendMail(options.smtp, *plan->mail, now);
    if (!outcome.ok()) return outcome;
  }
  if (plan->shell_command) {
    if (!options.shell_enabled)
      return SendOutcome::Permanent("shell channels are off: set [alerts] shell_enabled = true");
    SendOutcome outcome = RunShell(*plan->shell_command, options.http.total_timeout);
    if (!outcome.ok()) return outcome;
  }
  return SendOutcome::Delivered();
}

}  // namespace dogwatch::notify_internal
