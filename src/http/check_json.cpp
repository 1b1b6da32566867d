#include "dogwatch/http/check_json.h"

#include "api_json.h"

namespace dogwatch {

std::string CheckJsonV3(const Check& check, const std::vector<std::string>& channel_uuids,
                        const std::string& base_url, TimePoint now,
                        const ScheduleCompiler& compile_schedule) {
  std::shared_ptr<const NextFireFn> next_fire;
  if (check.kind != ScheduleKind::kSimple && compile_schedule) {
    if (auto compiled = compile_schedule(check.kind, check.schedule, check.tz)) next_fire = *compiled;
  }
  if (check.kind != ScheduleKind::kSimple && !next_fire)
    next_fire = std::make_shared<const NextFireFn>([](TimePoint) { return std::optional<TimePoint>(); });
  http_internal::ApiView view{.version = 3, .read_only = false, .base_url = base_url};
  return http_internal::CheckToJson(check, channel_uuids, view, now, next_fire)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace dogwatch
