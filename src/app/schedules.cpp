#include "schedules.h"

#include <sys/stat.h>

#include <cctype>

namespace dogwatch {

// Until the schedule module is wired in, cron and OnCalendar schedules cannot be compiled, so
// the API refuses them and stored ones never go down on their own (logged at start-up).
ScheduleCompiler MakeScheduleCompiler() {
  return [](ScheduleKind, const std::string&, const std::string&)
             -> Result<std::shared_ptr<const NextFireFn>> {
    return Fail(Errc::kInvalidArgument, "cron and OnCalendar schedules are not available yet");
  };
}

bool ValidTimeZone(const std::string& name) {
  // IANA names only: letters, digits, '/', '_', '-', '+'; no "..", no leading '/'.
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string::npos)
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+'))
      return false;
  struct stat st{};
  return ::stat(("/usr/share/zoneinfo/" + name).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace dogwatch
