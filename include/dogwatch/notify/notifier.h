// Notifier: delivers the notification outbox (DESIGN.md "Alert", SPEC §7). A few worker threads
// claim due notifications from the database with a conditional UPDATE, build each alert from the
// stored flip, check and pings, send it with timeouts, and record every attempt. Transient errors
// are retried with exponential backoff (retry_initial doubling up to retry_max) until
// give_up_after has passed since the flip; permanent errors are final. Either way the error is
// recorded on the channel (last_error). Only one notification per channel is in flight at a time,
// so a slow or dead channel holds at most one worker and never delays the others.
//
// The notifier owns one database connection (its own writer for the outbox and the channels
// table; SQLite serialises it with the monitor's). Every public method is thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dogwatch/core/clock.h"
#include "dogwatch/core/result.h"
#include "dogwatch/model/types.h"
#include "dogwatch/notify/outcome.h"
#include "dogwatch/notify/smtp.h"

namespace dogwatch {

struct NotifierOptions {
  std::string database_path;
  int workers = 4;
  std::chrono::seconds retry_initial{30};
  std::chrono::seconds retry_max{3600};
  std::chrono::seconds give_up_after{86400};
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds send_timeout{30};  // the whole attempt
  std::string user_agent = "dogwatch";
  std::string base_url;        // links to checks: <base_url>/checks/<uuid>
  bool shell_enabled = false;  // [alerts] shell_enabled: shell channels run only when true
  SmtpSettings smtp;
  // The check as the v3 API shows it (webhook $JSON) and its schedule in words; injected so
  // notify need not know the JSON mapping or the schedule syntax.
  std::function<std::string(const Check&, const std::vector<std::string>& channel_uuids)> check_json;
  std::function<std::string(const Check&)> describe_schedule;
};

class Notifier {
 public:
  Notifier(NotifierOptions options, const Clock& clock);
  ~Notifier();  // Stop()s
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Opens the connection, releases claims a stopped process left behind (they are sent again:
  // at-least-once), and starts the workers.
  Status Start();
  // New notifications were committed: look now rather than at the next poll.
  void Wake();
  // Interrupts sends in flight (they stay pending and go out after the restart), waits up to
  // `grace` for the workers, and returns whether they all stopped.
  bool Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

  // Sends a test alert through the channel now: no queueing, no retry. The outcome is recorded
  // on the channel like a real send.
  SendOutcome SendTest(const Channel& channel);

  // Channel writes (the API's channel endpoints). The value must already be validated.
  Result<Channel> CreateChannel(Channel channel);
  Status UpdateChannel(const Channel& channel);
  Status DeleteChannel(int64_t channel_id);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace dogwatch
