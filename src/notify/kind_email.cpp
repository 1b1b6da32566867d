// Email: one message to every address of the channel, in text and HTML, subject "DOWN | name".
// The SMTP client (smtp.h) turns it into MIME and sends it.
#include "dogwatch/notify/message.h"
#include "kinds_internal.h"

namespace dogwatch::kind_internal {

constexpr size_t kMaxAddresses = 10;

Status CheckEmail(Json& v, const Json*) {
  auto list = ParseAddressList(v["address"].get<std::string>(), kMaxAddresses);
  if (!list) return FieldError("address", list.error().message);
  std::string joined;
  for (const auto& address : *list) joined += (joined.empty() ? "" : ", ") + address;
  v["address"] = joined;  // normalized spacing
  return Ok();
}

Result<Delivery> PlanEmail(std::string_view, const Json& v, const Alert& a) {
  Delivery out;
  const char* toggle = IsUp(a) ? "notify_up" : "notify_down";
  if (!v[toggle].get<bool>() && !a.is_test) {
    out.skipped = std::string(toggle) + " is off";
    return out;
  }
  auto to = ParseAddressList(v["address"].get<std::string>(), kMaxAddresses);
  if (!to) return to.error();
  MailMessage mail;
  mail.to = *std::move(to);
  mail.subject = AlertSubject(a);
  mail.text = AlertText(a);
  mail.html = AlertHtml(a);
  out.mail = std::move(mail);
  return out;
}

}  // namespace dogwatch::kind_internal
