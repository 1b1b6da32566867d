// Webhooks: a request for down and another for up, each method, URL, body and headers with
// Healthchecks' $VARIABLES (webhook_template.h). An empty URL means "say nothing" for that status.
#include <fmt/format.h>

#include <algorithm>

#include "dogwatch/notify/webhook_template.h"
#include "kinds_internal.h"

namespace dogwatch::kind_internal {
namespace {

bool IsContentType(std::string name) {
  std::transform(name.begin(), name.end(), name.begin(), ::tolower);
  return name == "content-type";
}

}  // namespace

Status CheckWebhook(Json& v, const Json* previous) {
  if (v["url_down"].get_ref<const std::string&>().empty() &&
      v["url_up"].get_ref<const std::string&>().empty())
    return FieldError("url_down",
                      "expected an http:// or https:// URL in url_down or url_up (or both)");
  // A header value sent back as RedactChannelValue() showed it keeps its stored value.
  if (!previous) return Ok();
  for (const char* field : {"headers_down", "headers_up"}) {
    if (!previous->contains(field) || !(*previous)[field].is_object()) continue;
    const Json& stored = (*previous)[field];
    for (auto& [name, value] : v[field].items()) {
      if (!stored.contains(name) || !stored[name].is_string()) continue;
      const std::string& old = stored[name].get_ref<const std::string&>();
      if (value.get_ref<const std::string&>() == Redact(old, Redaction::kPrefix)) value = old;
    }
  }
  return Ok();
}

void RedactWebhook(Json& v) {
  for (const char* field : {"headers_down", "headers_up"}) {
    if (!v.contains(field) || !v[field].is_object()) continue;
    for (auto& [name, value] : v[field].items())
      value =
          value.is_string() ? Redact(value.get_ref<const std::string&>(), Redaction::kPrefix) : "…";
  }
}

Result<Delivery> PlanWebhook(std::string_view kind, const Json& v, const Alert& alert) {
  // A test of a channel that only speaks on recovery tries the "up" request, as Healthchecks does.
  if (alert.is_test && !IsUp(alert) && v["url_down"].get_ref<const std::string&>().empty()) {
    Alert up = alert;
    up.status = CheckStatus::kUp;
    return PlanWebhook(kind, v, up);
  }
  const Alert& a = alert;
  std::string suffix = IsUp(a) ? "_up" : "_down";
  std::string url_template = v["url" + suffix].get<std::string>();
  Delivery out;
  if (url_template.empty()) {
    out.skipped = fmt::format("url{} is empty", suffix);
    return out;
  }
  OutboundRequest r;
  r.method = v["method" + suffix].get<std::string>();
  r.url = ExpandTemplate(url_template, a, TemplateField::kUrl);
  if (!ParseHttpUrl(r.url)) {
    return Fail(Errc::kInvalidArgument, "url{} is not a valid URL once its variables are filled in",
                suffix);
  }
  bool has_content_type = false;
  for (const auto& [name, value] : v["headers" + suffix].items()) {
    r.headers.emplace_back(name,
                           ExpandTemplate(value.get<std::string>(), a, TemplateField::kHeader));
    has_content_type = has_content_type || IsContentType(name);
  }
  // As Healthchecks: a body only for POST and PUT, and only when one is configured.
  std::string body_template = v["body" + suffix].get<std::string>();
  if ((r.method == "POST" || r.method == "PUT") && !body_template.empty()) {
    r.body = ExpandTemplate(body_template, a, TemplateField::kBody);
    if (!has_content_type) {
      bool json = !Json::parse(r.body, nullptr, /*allow_exceptions=*/false).is_discarded();
      r.headers.emplace_back("Content-Type",
                             json ? "application/json" : "text/plain; charset=utf-8");
    }
  }
  out.requests.push_back(std::move(r));
  return out;
}

}  // namespace dogwatch::kind_internal
