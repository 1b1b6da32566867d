// Alert: everything a channel needs to say about one flip (SPEC §7, reference §6.2 "common
// message content"), gathered by the notifier from the database before rendering. A plain value;
// the renderers (message.h, kinds.h, webhook_template.h) are pure functions of it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dogwatch/core/time.h"
#include "dogwatch/model/types.h"

namespace dogwatch {

struct Alert {
  Check check;               // the check as it is when the alert is sent
  std::string project_name;
  CheckStatus status = CheckStatus::kDown;  // the flip's new status: kDown or kUp
  std::string reason;        // the flip's reason, e.g. "timeout", "fail", "success"
  TimePoint flip_time;       // when the flip happened ($NOW)
  std::optional<Micros> downtime;  // on recovery: how long the check was down
  std::string schedule_text; // "every 5 minutes, grace 1 hour" / "cron `0 3 * * *` (Europe/Riga)"
  std::optional<Ping> last_ping;   // the newest ping at or before flip_time
  std::string check_url;     // a link to the check in the web UI
  std::string check_json;    // the check in the v3 read-write representation ($JSON)
  std::vector<std::string> other_down;  // names of the project's other checks that are down
  bool is_test = false;      // a "send test notification" request, not a real flip
};

}  // namespace dogwatch
