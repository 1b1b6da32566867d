// Channel kinds (SPEC §7, reference §6.3): what each kind's settings ("value") must hold, how they
// are shown back without secrets, and what one alert becomes for that kind: HTTP requests, an
// email, a shell command, or nothing. Pure functions; thread-safe.
//
// Kinds, by their Healthchecks names, and their value objects (secrets marked *):
//   email       {"address": "a@x, b@y", "notify_down": true, "notify_up": true}
//   webhook     {"method_down","url_down","body_down","headers_down",
//                "method_up","url_up","body_up","headers_up"}   (headers: {"Name": "value"})
//   slack, mattermost, rocketchat, discord, msteamsw   {"url"*}  (the incoming-webhook URL)
//   telegram    {"bot_token"*, "chat_id", "thread_id"?, "api_url"?}
//   ntfy        {"url", "topic", "priority_down", "priority_up", "token"*?}   (priority 0 = silent)
//   gotify      {"url", "token"*, "priority_down", "priority_up"}             (priority 0 = silent)
//   po          {"user_key"*, "app_token"*, "priority_down", "priority_up", "api_url"?}
//                (Pushover; priority -3 = silent; 2 = emergency, cancelled on recovery)
//   matrix      {"homeserver", "access_token"*, "room_id"}
//   pd          {"routing_key"*, "api_url"?}   (PagerDuty Events v2)
//   opsgenie    {"api_key"*, "region": "us"|"eu", "api_url"?}
//   zulip       {"site", "bot_email", "api_key"*, "type": "stream"|"private", "to", "topic"?}
//   shell       {"command_down", "command_up"}
// "api_url" overrides a service's public endpoint (a proxy, a self-hosted instance, tests).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dogwatch/core/result.h"
#include "dogwatch/notify/alert.h"
#include "dogwatch/notify/mail.h"
#include "dogwatch/notify/outcome.h"

namespace dogwatch {

const std::vector<std::string_view>& ChannelKinds();
bool IsChannelKind(std::string_view kind);
// "Slack", "Microsoft Teams", "PagerDuty", ... for messages and the UI.
std::string_view ChannelKindLabel(std::string_view kind);

// Checks `value` for `kind` and returns it normalized (defaults filled in, unknown fields
// refused). Errors are kInvalidArgument with a message that names the field and what was
// expected: "value.url: expected an http:// or https:// URL". When `previous` is given (an update),
// a secret field sent back exactly as RedactChannelValue() showed it keeps its stored value.
Result<nlohmann::json> ValidateChannelValue(std::string_view kind, const nlohmann::json& value,
                                            const nlohmann::json* previous = nullptr);

// The value with every secret cut to its first 4 characters plus "…" (never returned in full).
nlohmann::json RedactChannelValue(std::string_view kind, const nlohmann::json& value);

struct OutboundRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // Content-Type included when a body
  std::string body;
};

// What one channel does for one alert.
struct Delivery {
  std::vector<OutboundRequest> requests;  // sent in order; every one must succeed
  std::optional<MailMessage> mail;
  std::optional<std::string> shell_command;  // placeholders already expanded and quoted
  // Set when the channel is configured to stay silent for this status (notify_up off, priority
  // 0, an empty webhook URL): nothing is sent and the notification counts as delivered.
  std::string skipped;
};

// REQUIRES: value was accepted by ValidateChannelValue for kind.
Result<Delivery> PlanDelivery(std::string_view kind, const nlohmann::json& value, const Alert& alert);

// Classifies an HTTP answer from a channel's service: 2xx delivered; 408, 429 and 5xx transient
// (retry_after from the Retry-After header when given); other 4xx permanent; plus each service's
// documented quirks (Telegram's "chat not found", Slack's "invalid_token" and so on). The error
// text names the service, the status and the start of the response body.
SendOutcome ClassifyResponse(std::string_view kind, int status, std::string_view body,
                             std::string_view retry_after_header);

}  // namespace dogwatch
