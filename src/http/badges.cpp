#include "badges.h"

#include <fmt/format.h>

#include <set>

#include "dogwatch/core/crypto.h"

namespace dogwatch::http_internal {
namespace {

// Text width in the badge's 11px sans-serif, from rough per-character classes (Healthchecks uses
// a per-character table to the same end): close enough that labels neither clip nor float.
int TextWidth(const std::string& s) {
  double w = 0;
  for (unsigned char c : s) {
    if (std::string_view("fijlrtI.,:;'!|()[] ").find(static_cast<char>(c)) != std::string_view::npos) w += 3.9;
    else if (std::string_view("mwMW@%").find(static_cast<char>(c)) != std::string_view::npos) w += 10.5;
    else if (c >= 'A' && c <= 'Z') w += 7.6;
    else if (c >= 0x80) w += 3.5;  // UTF-8 bytes: about 7 per two-byte character
    else w += 6.6;
  }
  return static_cast<int>(w + 0.5);
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string UrlQuote(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

const char* BadgeStatusName(BadgeStatus s) {
  switch (s) {
    case BadgeStatus::kUp: return "up";
    case BadgeStatus::kLate: return "late";
    case BadgeStatus::kDown: return "down";
  }
  return "up";
}

std::string BadgeSignature(const std::string& badge_key, const std::string& tag, const std::string& secret,
                           bool with_late) {
  std::string sig = DjangoBase64Hmac(badge_key, tag, secret).substr(0, 8);
  return with_late ? sig : sig + "-2";
}

BadgeStatus Aggregate(const BadgeCounts& counts, bool with_late) {
  if (counts.down > 0) return BadgeStatus::kDown;
  if (with_late && counts.grace > 0) return BadgeStatus::kLate;
  return BadgeStatus::kUp;
}

std::string BadgeSvg(const std::string& label, BadgeStatus status) {
  const char* color = status == BadgeStatus::kUp ? "#4c1" : status == BadgeStatus::kLate ? "#fe7d37" : "#e05d44";
  const std::string word = BadgeStatusName(status);
  const int label_w = TextWidth(label) + 10, status_w = TextWidth(word) + 10, width = label_w + status_w;
  const std::string text = XmlEscape(label);
  return fmt::format(
      R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="20" role="img" aria-label="{3}: {5}">)svg"
      R"svg(<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>)svg"
      R"svg(<stop offset="1" stop-opacity=".1"/></linearGradient>)svg"
      R"svg(<mask id="r"><rect width="{0}" height="20" rx="3" fill="#fff"/></mask>)svg"
      R"svg(<g mask="url(#r)"><rect width="{1}" height="20" fill="#555"/>)svg"
      R"svg(<rect x="{1}" width="{2}" height="20" fill="{4}"/><rect width="{0}" height="20" fill="url(#s)"/></g>)svg"
      R"svg(<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="11">)svg"
      R"svg(<text x="{6}" y="15" fill="#010101" fill-opacity=".3">{3}</text><text x="{6}" y="14">{3}</text>)svg"
      R"svg(<text x="{7}" y="15" fill="#010101" fill-opacity=".3">{5}</text><text x="{7}" y="14">{5}</text>)svg"
      R"svg(</g></svg>)svg",
      width, label_w, status_w, text, color, word, label_w / 2.0, label_w + status_w / 2.0);
}

Json BadgeJson(BadgeStatus status, const BadgeCounts& counts) {
  return Json{{"status", BadgeStatusName(status)}, {"total", counts.total}, {"grace", counts.grace}, {"down", counts.down}};
}

Json ShieldsJson(const std::string& label, BadgeStatus status) {
  const char* color = status == BadgeStatus::kUp ? "success" : status == BadgeStatus::kLate ? "important" : "critical";
  return Json{{"schemaVersion", 1}, {"label", label}, {"message", BadgeStatusName(status)}, {"color", color}};
}

Json BadgeUrls(const HttpContext& ctx, const Project& project, const std::vector<Check>& checks) {
  std::set<std::string> tags;
  for (const Check& c : checks) {
    size_t i = 0;
    while (i < c.tags.size()) {
      size_t j = c.tags.find(' ', i);
      if (j == std::string::npos) j = c.tags.size();
      if (j > i) tags.insert(c.tags.substr(i, j - i));
      i = j + 1;
    }
  }
  Json out = Json::object();
  auto urls = [&](const std::string& tag) {
    Json j = Json::object();
    for (const char* fmt_name : {"svg", "json", "shields"}) {
      for (bool with_late : {false, true}) {
        std::string sig = BadgeSignature(project.badge_key, tag, ctx.badge_secret, with_late);
        std::string url = ctx.config->server.base_url + "/badge/" + project.badge_key + "/" + sig +
                          (tag == "*" ? "" : "/" + UrlQuote(tag)) + "." + fmt_name;
        j[std::string(fmt_name) + (with_late ? "3" : "")] = url;
      }
    }
    return j;
  };
  out["*"] = urls("*");
  for (const auto& t : tags) out[t] = urls(t);
  return out;
}

}  // namespace dogwatch::http_internal
