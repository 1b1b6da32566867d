// Runs a shell channel's command (/bin/sh -c) with a deadline. The child gets its own process
// group, so a timeout kills the command and everything it started. Blocking; thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "dogwatch/notify/outcome.h"

namespace dogwatch::notify_internal {

// Exit 0 is delivered. Exit 75 (EX_TEMPFAIL, as sendmail uses it) and a timeout are transient;
// any other status is permanent. The error quotes the end of the command's output.
SendOutcome RunShell(const std::string& command, std::chrono::seconds timeout);

}  // namespace dogwatch::notify_internal
