// ns per schedule::Next() for typical and nasty expressions. Each expression is asked for the
// next fire time after many start instants spread over 2025-2027 (so DST changes are crossed),
// and every call is timed on its own. Prints a Markdown table per expression: median, p99, the
// raw max (which includes preemption by other processes), and the worst start re-timed: the
// 20 slowest starts are each run 5 more times and the fastest run kept, so what remains is the
// cost of the search itself.
// Usage: schedule_bench [calls-per-expression]   (default 20000)
#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "dogwatch/core/time.h"
#include "dogwatch/schedule/schedule.h"

namespace {

using dogwatch::TimePoint;
namespace schedule = dogwatch::schedule;

struct Expr {
  const char* kind;  // "cron" or "oncalendar"
  const char* text;
  const char* tz;
  bool typical;
};

const Expr kExprs[] = {
    {"cron", "*/5 * * * *", "UTC", true},
    {"cron", "0 * * * *", "Europe/Riga", true},
    {"cron", "30 3 * * *", "Europe/Riga", true},
    {"cron", "0 9 * * 1-5", "America/New_York", true},
    {"cron", "15 2 * * *", "Australia/Lord_Howe", true},
    {"cron", "0 0 1 * *", "Pacific/Chatham", true},
    {"cron", "0 0 L * *", "America/Santiago", true},
    {"oncalendar", "daily", "Europe/Riga", true},
    {"oncalendar", "Mon..Fri 09:00", "Asia/Kolkata", true},
    {"oncalendar", "*:0/15", "America/New_York", true},
    // Nasty ones.
    {"cron", "0 0 29 2 1", "UTC", false},
    {"cron", "0 0 29 2 *", "Europe/Riga", false},
    {"cron", "0 3 LW 2 *", "Europe/Riga", false},
    {"cron", "0 0 * 2 MON#5", "America/New_York", false},
    {"cron", "0 0 0 29 2 *", "Pacific/Chatham", false},          // aware mode, every 4 years
    {"cron", "0 0 */29 2 MON#5", "UTC", false},                  // never fires: 50-year search
    {"cron", "0 0 */29 2 MON#5", "Australia/Lord_Howe", false},  // never fires, DST zone
    {"oncalendar", "*-02-30", "Europe/Riga", false},             // never fires: search to 2200
    {"oncalendar", "Mon *-02-29 03:30", "Europe/Riga", false},
    {"oncalendar", "Mon *-02~1\nSun *-02~1 Asia/Kolkata", "UTC", false},
};

int64_t Percentile(std::vector<int64_t> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  const int calls = argc > 1 ? std::atoi(argv[1]) : 20000;
  const TimePoint base = *dogwatch::ParseIso("2025-01-01T00:00:00Z");
  const int64_t span_us = int64_t{3} * 365 * 86400 * 1000000;
  std::printf(
      "| expression | zone | median ns | p99 ns | max ns (raw) | worst start, re-timed ns |\n"
      "|---|---|---:|---:|---:|---:|\n");
  std::vector<int64_t> typical_medians;
  int64_t worst = 0;
  for (const Expr& e : kExprs) {
    auto s = std::string(e.kind) == "cron" ? schedule::ParseCron(e.text, e.tz)
                                           : schedule::ParseOnCalendar(e.text, e.tz);
    if (!s) {
      std::fprintf(stderr, "%s: %s\n", e.text, s.error().message.c_str());
      return 1;
    }
    uint64_t seed = 42;
    int64_t sink = 0;
    std::vector<int64_t> ns;
    std::vector<TimePoint> starts;
    ns.reserve(calls);
    starts.reserve(calls);
    for (int i = 0; i < calls; ++i) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;  // LCG: reproducible starts
      TimePoint after = base + dogwatch::Micros(static_cast<int64_t>((seed >> 11) % span_us));
      starts.push_back(after);
      auto t0 = std::chrono::steady_clock::now();
      auto next = schedule::Next(*s, after);
      auto t1 = std::chrono::steady_clock::now();
      sink += next ? next->time_since_epoch().count() & 1 : 0;
      ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    }
    const int64_t median = Percentile(ns, 0.5), p99 = Percentile(ns, 0.99);
    const int64_t max = *std::max_element(ns.begin(), ns.end());
    std::vector<size_t> order(ns.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::partial_sort(order.begin(), order.begin() + std::min<size_t>(20, order.size()),
                      order.end(), [&](size_t a, size_t b) { return ns[a] > ns[b]; });
    int64_t retimed = 0;
    for (size_t k = 0; k < std::min<size_t>(20, order.size()); ++k) {
      int64_t best = INT64_MAX;
      for (int rep = 0; rep < 5; ++rep) {
        auto t0 = std::chrono::steady_clock::now();
        auto next = schedule::Next(*s, starts[order[k]]);
        auto t1 = std::chrono::steady_clock::now();
        sink += next ? 1 : 0;
        best = std::min<int64_t>(
            best, std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
      }
      retimed = std::max(retimed, best);
    }
    if (e.typical) typical_medians.push_back(median);
    worst = std::max(worst, retimed);
    std::string text = e.text;
    for (size_t pos; (pos = text.find('\n')) != std::string::npos;) text.replace(pos, 1, "\\n");
    std::printf("| %s `%s` | %s | %lld | %lld | %lld | %lld |%s\n", e.kind, text.c_str(), e.tz,
                static_cast<long long>(median), static_cast<long long>(p99),
                static_cast<long long>(max), static_cast<long long>(retimed), sink < 0 ? " " : "");
  }
  std::printf("\nMedian of the typical medians: %lld ns. Slowest start, re-timed: %lld ns.\n",
              static_cast<long long>(Percentile(typical_medians, 0.5)),
              static_cast<long long>(worst));
  return 0;
}
