// Incident services that open an incident on down and close it on up, matched by a stable key:
// PagerDuty Events v2 (dedup_key) and Opsgenie (alias). Both use Healthchecks' unique key of
// the check, so an incident opened by Healthchecks is closed by dogwatch after a migration.
// A test opens and at once closes an incident of its own, so it pages once and leaves nothing
// open, and never touches a real check's incident.
#include <fmt/format.h>

#include "dogwatch/core/crypto.h"
#include "dogwatch/notify/message.h"
#include "kinds_internal.h"

namespace dogwatch::kind_internal {
namespace {

std::string Str(const Json& v, const char* key) {
  return v.contains(key) && v[key].is_string() ? v[key].get<std::string>() : std::string();
}

std::string IncidentKey(const Alert& a) {
  std::string key = UniqueKeyOf(a.check.uuid);
  return a.is_test ? "dogwatch-test-" + key : key;
}

Json Details(const Alert& a) {
  Json details = Json::object();
  for (const AlertFact& f : AlertFacts(a)) details[f.label] = f.value;
  if (std::string body = AlertBodyExcerpt(a); !body.empty()) details["Last ping body"] = body;
  if (!a.other_down.empty()) {
    std::string names;
    for (const auto& n : a.other_down) names += (names.empty() ? "" : ", ") + OneLine(n);
    details[IsUp(a) ? "Still down" : "Also down"] = names;
  }
  if (!a.check_url.empty()) details["Link"] = a.check_url;
  return details;
}

std::string Summary(const Alert& a) {
  return Utf8Prefix(AlertTitle(a) + " " + AlertReasonText(a), 1024);  // PagerDuty's limit
}

}  // namespace

Result<Delivery> PlanPagerDuty(std::string_view, const Json& v, const Alert& a) {
  std::string base = Str(v, "api_url").empty() ? "https://events.pagerduty.com" : Str(v, "api_url");
  std::string url = JoinUrl(base, "/v2/enqueue");
  auto event = [&](const char* action) {
    Json e = {
        {"routing_key", Str(v, "routing_key")},
        {"event_action", action},
        {"dedup_key", IncidentKey(a)},
        {"payload",
         {{"summary", Summary(a)},
          {"source", "dogwatch"},
          {"severity", "critical"},
          {"custom_details", Details(a)}}},
        {"client", "dogwatch"},
    };
    if (!a.check_url.empty()) {
      e["client_url"] = a.check_url;
      e["links"] = Json::array({{{"href", a.check_url}, {"text", "Open in dogwatch"}}});
    }
    return JsonRequest("POST", url, e);
  };
  Delivery out;
  if (a.is_test) {
    out.requests.push_back(event("trigger"));
    out.requests.push_back(event("resolve"));
  } else {
    out.requests.push_back(event(IsUp(a) ? "resolve" : "trigger"));
  }
  return out;
}

Result<Delivery> PlanOpsgenie(std::string_view, const Json& v, const Alert& a) {
  std::string base = Str(v, "api_url");
  if (base.empty())
    base = Str(v, "region") == "eu" ? "https://api.eu.opsgenie.com" : "https://api.opsgenie.com";
  std::string alias = IncidentKey(a);
  auto with_key = [&](OutboundRequest r) {
    r.headers.emplace_back("Authorization", "GenieKey " + Str(v, "api_key"));
    return r;
  };
  auto create = [&] {
    Json tags = Json::array();
    for (const std::string& t : SplitTags(a.check.tags)) {
      if (tags.size() == 20) break;  // Opsgenie keeps 20 tags of up to 50 characters
      tags.push_back(Utf8Prefix(t, 50));
    }
    Json body = {{"alias", alias},
                 {"message", Utf8Prefix(AlertTitle(a), 130)},
                 {"description", Utf8Prefix(AlertText(a), 15000)},
                 {"tags", tags},
                 {"details", Details(a)},  // Opsgenie takes string values only
                 {"source", "dogwatch"}};
    return with_key(JsonRequest("POST", JoinUrl(base, "/v2/alerts"), body));
  };
  auto close = [&] {
    std::string note = AlertTitle(a);
    if (std::string d = DowntimeSentence(a); !d.empty()) note += " " + d;
    Json body = {{"source", "dogwatch"}, {"note", note}};
    return with_key(JsonRequest(
        "POST",
        JoinUrl(base, "/v2/alerts/" + PercentEncode(alias, "") + "/close?identifierType=alias"),
        body));
  };
  Delivery out;
  if (a.is_test || !IsUp(a)) out.requests.push_back(create());
  if (a.is_test || IsUp(a)) out.requests.push_back(close());
  return out;
}

}  // namespace dogwatch::kind_internal
