// Sends one channel request over HTTP(S) (DESIGN.md "Alert"): connect timeout, a deadline for the
// whole exchange enforced by a watchdog that shuts the socket (a server that trickles bytes
// cannot hold a worker past it), certificates verified against the system CA store, and a
// User-Agent naming dogwatch. Public so that the self-monitoring heartbeat (app/heartbeat.h)
// pings with the same guarantees. Blocking; any number of threads may send at once.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "dogwatch/notify/kinds.h"
#include "dogwatch/notify/outcome.h"

namespace dogwatch {

struct HttpSendOptions {
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds total_timeout{30};
  std::string user_agent = "dogwatch";
};

// The service's answer is classified by ClassifyResponse(kind, ...); transport failures
// (refused, reset, timeout, TLS) are transient and say what failed.
SendOutcome SendHttp(std::string_view kind, const OutboundRequest& request,
                     const HttpSendOptions& options);

// Cancels every HTTP send in flight in this process (shutdown): each returns a transient error.
void AbortAllHttpSends();

}  // namespace dogwatch
