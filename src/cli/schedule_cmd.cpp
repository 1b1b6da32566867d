// dogwatch schedule next | describe: fire times and descriptions of cron and OnCalendar
// expressions, one case from flags or many as JSON lines (--batch).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "context.h"
#include "dogwatch/core/time.h"
#include "dogwatch/schedule/schedule.h"

namespace dogwatch::cli {
namespace {

// More fire times than this per case is a typo, not a use; it also bounds a batch's output.
constexpr int kMaxCount = 1000;

struct NextOptions {
  std::string cron;
  std::string oncalendar;
  std::string tz = "UTC";
  std::string after;
  int count = 1;
  std::string batch;
  bool describe_oncalendar = false;  // describe --oncalendar
};

Result<schedule::Schedule> Compile(const std::string* cron, const std::string* oncalendar,
                                   const std::string& tz) {
  if (cron != nullptr) return schedule::ParseCron(*cron, tz);
  return schedule::ParseOnCalendar(*oncalendar, tz);
}

Result<TimePoint> ParseAfter(const std::string& text) {
  if (text.empty()) return TimePoint(std::chrono::floor<Micros>(std::chrono::system_clock::now()));
  auto t = ParseIso(text);
  if (!t) return Fail(Errc::kInvalidArgument, "after: '{}' is not an ISO 8601 time", text);
  return *t;
}

// One batch line to one output line; every failure becomes {"error": ...}.
nlohmann::json RunBatchLine(const std::string& line) {
  using nlohmann::json;
  auto error = [](const std::string& message) { return json{{"error", message}}; };
  json in = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (in.is_discarded() || !in.is_object()) return error("line is not a JSON object");
  const bool has_cron = in.contains("cron"), has_oncalendar = in.contains("oncalendar");
  if (has_cron == has_oncalendar) return error("give exactly one of \"cron\" and \"oncalendar\"");
  const json& expr = has_cron ? in["cron"] : in["oncalendar"];
  if (!expr.is_string()) return error("the expression must be a string");
  std::string tz = "UTC", after_text;
  if (in.contains("tz")) {
    if (!in["tz"].is_string()) return error("\"tz\" must be a string");
    tz = in["tz"].get<std::string>();
  }
  if (in.contains("after")) {
    if (!in["after"].is_string()) return error("\"after\" must be a string");
    after_text = in["after"].get<std::string>();
  }
  int count = 1;
  if (in.contains("count")) {
    if (!in["count"].is_number_integer()) return error("\"count\" must be an integer");
    auto n = in["count"].get<int64_t>();
    if (n < 1 || n > kMaxCount) return error(fmt::format("\"count\" must be 1-{}", kMaxCount));
    count = static_cast<int>(n);
  }
  const std::string text = expr.get<std::string>();
  auto schedule = Compile(has_cron ? &text : nullptr, has_cron ? nullptr : &text, tz);
  if (!schedule) return error(schedule.error().message);
  auto after = ParseAfter(after_text);
  if (!after) return error(after.error().message);
  json next = json::array();
  for (TimePoint t : schedule::NextN(*schedule, *after, count)) next.push_back(FormatIsoZ(t));
  return json{{"next", next}};
}

int RunBatch(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) {
      PrintError(fmt::format("cannot read {}", path));
      return kExitFailure;
    }
    in = &file;
  }
  std::string line;
  while (std::getline(*in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines
    // Invalid UTF-8 in an error message must not abort the batch: replace it.
    std::cout << RunBatchLine(line).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
              << '\n';
  }
  std::cout.flush();
  return kExitOk;
}

int RunNext(const NextOptions& o, bool has_cron, bool has_oncalendar) {
  if (!o.batch.empty()) return RunBatch(o.batch);
  if (has_cron == has_oncalendar) {
    PrintError("give exactly one of --cron, --oncalendar and --batch");
    return kExitUsage;
  }
  auto schedule = Compile(has_cron ? &o.cron : nullptr, has_cron ? nullptr : &o.oncalendar, o.tz);
  if (!schedule) {
    PrintError(schedule.error().message);
    return kExitFailure;
  }
  auto after = ParseAfter(o.after);
  if (!after) {
    PrintError(after.error().message);
    return kExitUsage;
  }
  for (TimePoint t : schedule::NextN(*schedule, *after, o.count)) fmt::print("{}\n", FormatIsoZ(t));
  return kExitOk;
}

}  // namespace

void AddScheduleCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("schedule", "Show fire times and descriptions of schedules");
  group->require_subcommand(1);

  auto options = std::make_shared<NextOptions>();
  auto* next = group->add_subcommand("next", "Print the next fire times, in UTC");
  auto* cron = next->add_option("--cron", options->cron, "Cron expression (5 or 6 fields)");
  auto* oncal = next->add_option("--oncalendar", options->oncalendar, "OnCalendar expression");
  auto* batch = next->add_option("--batch", options->batch,
                                 "JSON lines file ('-' for stdin): one {\"cron\"|\"oncalendar\", "
                                 "\"tz\", \"after\", \"count\"} per line");
  cron->excludes(oncal);
  batch->excludes(cron)->excludes(oncal);
  auto* tz = next->add_option("--tz", options->tz, "IANA time zone (default UTC)");
  auto* after = next->add_option("--after", options->after,
                                 "Start, ISO 8601 (default now); results are strictly after it");
  auto* count = next->add_option("--count", options->count, "How many fire times (default 1)")
                    ->check(CLI::Range(1, kMaxCount));
  batch->excludes(tz)->excludes(after)->excludes(count);
  next->callback([&ctx, options, cron, oncal] {
    ctx.action = [options, has_cron = cron->count() > 0, has_oncal = oncal->count() > 0] {
      return RunNext(*options, has_cron, has_oncal);
    };
  });

  auto describe_options = std::make_shared<NextOptions>();
  auto* describe = group->add_subcommand("describe", "Print a schedule in words");
  describe->add_option("expression", describe_options->cron, "Cron (or OnCalendar) expression")
      ->required();
  describe->add_option("--tz", describe_options->tz, "IANA time zone (default UTC)");
  describe->add_flag("--oncalendar", describe_options->describe_oncalendar,
                     "The expression is OnCalendar, not cron");
  describe->callback([&ctx, describe_options] {
    ctx.action = [o = describe_options] {
      auto schedule = o->describe_oncalendar ? schedule::ParseOnCalendar(o->cron, o->tz)
                                             : schedule::ParseCron(o->cron, o->tz);
      if (!schedule) {
        PrintError(schedule.error().message);
        return kExitFailure;
      }
      fmt::print("{}\n", schedule::Describe(*schedule));
      return kExitOk;
    };
  });
}

}  // namespace dogwatch::cli
