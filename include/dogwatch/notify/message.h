// The words of an alert (SPEC §7): which check, its new status and why, how long it was down,
// project, tags, schedule, total pings, last ping kind and age, the last ping body (cut to 1,000
// characters) and a link. One set of facts, rendered as plain text, HTML and Markdown for the
// kinds that take each. Pure functions; thread-safe. Every user-supplied string is escaped for
// the target format.
#pragma once

#include <string>

#include "dogwatch/notify/alert.h"

namespace dogwatch {

// The check's name, or its UUID when it has none.
std::string AlertCheckName(const Alert& a);
// "DOWN | nightly-backup" (email subject, Healthchecks' format).
std::string AlertSubject(const Alert& a);
// "“nightly-backup” is DOWN." (chat titles).
std::string AlertTitle(const Alert& a);
// The reason in words: "success signal did not arrive on time, grace time passed",
// "received a failure signal", "received a success signal" ...
std::string AlertReasonText(const Alert& a);
std::string AlertText(const Alert& a);
std::string AlertHtml(const Alert& a);
std::string AlertMarkdown(const Alert& a);
// The last ping body as shown in messages: lossy UTF-8, at most 1,000 characters.
std::string AlertBodyExcerpt(const Alert& a);

}  // namespace dogwatch
