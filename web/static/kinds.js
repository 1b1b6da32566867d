// Channel kinds (include/dogwatch/notify/kinds.h): their fields, types and help text.
// type: text | url | secret | int | bool | choice | script | headers | chatid
// optional: true = may be left empty (omitted when it has no default).

const hookHelp = (service, where) => [
  { name: "url", label: `${service} webhook URL`, type: "secret", help: where },
];

export const KINDS = [
  { kind: "email", label: "Email", fields: [
    { name: "address", label: "Addresses", type: "text", help: "One or more addresses, comma-separated (up to 10). Needs [smtp] in the config file." },
    { name: "notify_down", label: "Send when a check goes down", type: "bool", def: true },
    { name: "notify_up", label: "Send when a check recovers", type: "bool", def: true },
  ] },
  { kind: "webhook", label: "Webhook", fields: [
    { name: "method_down", label: "Method when down", type: "choice", choices: ["POST", "GET", "PUT"] },
    { name: "url_down", label: "URL when down", type: "url", optional: true, help: "Leave empty to send nothing when a check goes down. Variables such as $NAME, $STATUS, $CODE are filled in." },
    { name: "body_down", label: "Body when down", type: "script", optional: true, help: "E.g. {\"check\": $NAME_JSON, \"status\": \"$STATUS\"}" },
    { name: "headers_down", label: "Headers when down", type: "headers", help: "One per line: Name: value" },
    { name: "method_up", label: "Method when up", type: "choice", choices: ["POST", "GET", "PUT"] },
    { name: "url_up", label: "URL when up", type: "url", optional: true, help: "Leave empty to send nothing on recovery." },
    { name: "body_up", label: "Body when up", type: "script", optional: true },
    { name: "headers_up", label: "Headers when up", type: "headers", help: "One per line: Name: value" },
  ] },
  { kind: "slack", label: "Slack", fields: hookHelp("Slack", "In Slack: Apps → Incoming Webhooks → Add to Slack, pick a channel, copy the https://hooks.slack.com/services/… URL.") },
  { kind: "discord", label: "Discord", fields: hookHelp("Discord", "In Discord: Server Settings → Integrations → Webhooks → New Webhook → Copy Webhook URL.") },
  { kind: "mattermost", label: "Mattermost", fields: hookHelp("Mattermost", "In Mattermost: Integrations → Incoming Webhooks → Add, then copy its URL.") },
  { kind: "rocketchat", label: "Rocket.Chat", fields: hookHelp("Rocket.Chat", "In Rocket.Chat: Administration → Integrations → New → Incoming, enable it and copy the Webhook URL.") },
  { kind: "msteamsw", label: "Microsoft Teams", fields: hookHelp("Teams workflow", "In Teams: … on the channel → Workflows → \"Post to a channel when a webhook request is received\", then copy the URL it shows.") },
  { kind: "telegram", label: "Telegram", fields: [
    { name: "bot_token", label: "Bot token", type: "secret", help: "Create a bot with @BotFather (/newbot) and paste the token it gives you." },
    { name: "chat_id", label: "Chat ID", type: "chatid", help: "A numeric chat ID (e.g. -1001234567890) or a public @channelname. Add the bot to the chat first." },
    { name: "thread_id", label: "Topic (thread) ID", type: "int", optional: true, help: "Optional: for a forum topic in a supergroup." },
    { name: "api_url", label: "API URL", type: "url", optional: true, help: "Optional: a Telegram Bot API proxy; empty for https://api.telegram.org." },
  ] },
  { kind: "ntfy", label: "ntfy", fields: [
    { name: "url", label: "Server URL", type: "url", def: "https://ntfy.sh", help: "https://ntfy.sh or your own ntfy server." },
    { name: "topic", label: "Topic", type: "text", help: "Subscribe to this topic in the ntfy app. Pick something hard to guess on ntfy.sh." },
    { name: "priority_down", label: "Priority when down", type: "int", def: 5, min: 0, max: 5, help: "1 (min) to 5 (max); 0 sends nothing." },
    { name: "priority_up", label: "Priority when up", type: "int", def: 3, min: 0, max: 5 },
    { name: "token", label: "Access token", type: "secret", optional: true, help: "Optional: for protected topics (tk_…)." },
  ] },
  { kind: "gotify", label: "Gotify", fields: [
    { name: "url", label: "Server URL", type: "url", help: "Your Gotify server, e.g. https://gotify.example.com" },
    { name: "token", label: "Application token", type: "secret", help: "In Gotify: Apps → Create Application, copy its token." },
    { name: "priority_down", label: "Priority when down", type: "int", def: 5, min: 0, max: 10, help: "0 sends nothing." },
    { name: "priority_up", label: "Priority when up", type: "int", def: 3, min: 0, max: 10 },
  ] },
  { kind: "po", label: "Pushover", fields: [
    { name: "user_key", label: "User key", type: "secret", help: "On pushover.net, your user key is on the dashboard after you log in." },
    { name: "app_token", label: "Application token", type: "secret", help: "Create an application on pushover.net (Your Applications → Create) and copy its API token." },
    { name: "priority_down", label: "Priority when down", type: "int", def: 0, min: -3, max: 2, help: "-2 lowest … 1 high, 2 emergency (repeats until acknowledged); -3 sends nothing." },
    { name: "priority_up", label: "Priority when up", type: "int", def: 0, min: -3, max: 2 },
    { name: "api_url", label: "API URL", type: "url", optional: true, help: "Optional: a proxy for api.pushover.net." },
  ] },
  { kind: "matrix", label: "Matrix", fields: [
    { name: "homeserver", label: "Homeserver URL", type: "url", help: "E.g. https://matrix.org" },
    { name: "access_token", label: "Access token", type: "secret", help: "The bot user's token (in Element: Settings → Help & About → Access token)." },
    { name: "room_id", label: "Room ID", type: "text", help: "!abc123:matrix.org (Room settings → Advanced). The bot must have joined the room." },
  ] },
  { kind: "pd", label: "PagerDuty", fields: [
    { name: "routing_key", label: "Integration (routing) key", type: "secret", help: "In PagerDuty: Service → Integrations → Add → Events API v2, copy the Integration Key." },
    { name: "api_url", label: "API URL", type: "url", optional: true, help: "Optional: empty for https://events.pagerduty.com." },
  ] },
  { kind: "opsgenie", label: "Opsgenie", fields: [
    { name: "api_key", label: "API key", type: "secret", help: "In Opsgenie: Teams → your team → Integrations → Add → API, copy the key." },
    { name: "region", label: "Region", type: "choice", choices: ["us", "eu"], help: "eu if your account is at app.eu.opsgenie.com." },
    { name: "api_url", label: "API URL", type: "url", optional: true },
  ] },
  { kind: "zulip", label: "Zulip", fields: [
    { name: "site", label: "Zulip site", type: "url", help: "E.g. https://yourorg.zulipchat.com" },
    { name: "bot_email", label: "Bot email", type: "text", help: "Personal settings → Bots → Add a new bot (Incoming webhook); its email is shown there." },
    { name: "api_key", label: "Bot API key", type: "secret" },
    { name: "type", label: "Send to", type: "choice", choices: ["stream", "private"] },
    { name: "to", label: "Stream or recipient", type: "text", help: "The stream name, or a user's email for private messages." },
    { name: "topic", label: "Topic", type: "text", optional: true, help: "Optional, for streams." },
  ] },
  { kind: "shell", label: "Shell command", fields: [
    { name: "command_down", label: "Command when down", type: "script", optional: true, help: "Runs on the dogwatch host; needs [alerts] shell_enabled = true. $NAME, $STATUS, $CODE are filled in." },
    { name: "command_up", label: "Command when up", type: "script", optional: true },
  ] },
];

export function kindLabel(kind) {
  const k = KINDS.find((x) => x.kind === kind);
  return k ? k.label : kind;
}

export function kindSpec(kind) {
  return KINDS.find((x) => x.kind === kind) || null;
}
