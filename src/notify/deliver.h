// One alert through one channel: plan it for the channel's kind (kinds.h), then send each part
// over HTTP, SMTP or the shell. Blocking; thread-safe.
#pragma once

#include "dogwatch/model/types.h"
#include "dogwatch/notify/alert.h"
#include "dogwatch/notify/outcome.h"
#include "dogwatch/notify/smtp.h"
#include "dogwatch/notify/http_send.h"

namespace dogwatch::notify_internal {

struct DeliverOptions {
  HttpSendOptions http;
  SmtpSettings smtp;
  bool shell_enabled = false;
};

// `skipped` is set (and the outcome delivered) when the channel stays silent for this alert.
SendOutcome Deliver(const Channel& channel, const Alert& alert, const DeliverOptions& options,
                    TimePoint now, std::string* skipped = nullptr);

}  // namespace dogwatch::notify_internal
