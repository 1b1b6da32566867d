// A small parser for the Prometheus text format (exposition format 0.0.4), strict enough for
// tests: every sample's metric has a # HELP and # TYPE (counter, gauge or histogram, whose
// _bucket, _sum and _count samples belong to it), and every value is a number. Failures are
// reported through doctest with the offending line.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace dwtest {

// "x_bucket" -> "x" (likewise _sum and _count); other names unchanged.
inline std::string HistogramBase(const std::string& name) {
  for (const char* suffix : {"_bucket", "_sum", "_count"}) {
    std::string s = suffix;
    if (name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0)
      return name.substr(0, name.size() - s.size());
  }
  return name;
}

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses the Prometheus text format strictly enough for these tests: # HELP and # TYPE lines,
// blank lines, and samples `name{k="v", ...} value`. Every sample's metric must have a TYPE,
// and every value must be a number; failures are reported with the line.
inline std::vector<Sample> ParseProm(const std::string& body) {
  std::vector<Sample> out;
  std::set<std::string> typed, helped, histograms;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    REQUIRE_MESSAGE(nl != std::string::npos, "the body ends with a newline");
    std::string line = body.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.empty()) continue;
    if (line.rfind("# HELP ", 0) == 0) {
      helped.insert(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::string rest = line.substr(7);
      std::string name = rest.substr(0, rest.find(' '));
      std::string type = rest.substr(rest.find(' ') + 1);
      CHECK_MESSAGE((type == "gauge" || type == "counter" || type == "histogram"), line);
      if (type == "histogram") histograms.insert(name);
      CHECK_MESSAGE(helped.count(name), "HELP before TYPE: " << line);
      typed.insert(name);
      continue;
    }
    REQUIRE_MESSAGE(line[0] != '#', line);
    Sample s;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    s.name = line.substr(0, i);
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        while (line[i] == ' ' || line[i] == ',') ++i;
        size_t eq = line.find('=', i);
        REQUIRE_MESSAGE(eq != std::string::npos, line);
        std::string key = line.substr(i, eq - i);
        REQUIRE_MESSAGE(line[eq + 1] == '"', line);
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\') {
            ++j;
            REQUIRE_MESSAGE(j < line.size(), line);
            value += line[j] == 'n' ? '\n' : line[j];
          } else {
            value += line[j];
          }
        }
        REQUIRE_MESSAGE(j < line.size(), "unterminated label: " << line);
        s.labels[key] = value;
        i = j + 1;
        while (i < line.size() && (line[i] == ' ' || line[i] == ',')) ++i;
      }
      REQUIRE_MESSAGE(i < line.size(), line);
      ++i;
    }
    REQUIRE_MESSAGE((i < line.size() && line[i] == ' '), line);
    std::string value = line.substr(i + 1);
    char* end = nullptr;
    s.value = std::strtod(value.c_str(), &end);
    CHECK_MESSAGE((!value.empty() && *end == '\0'), "not a number: " << line);
    CHECK_MESSAGE((typed.count(s.name) || histograms.count(HistogramBase(s.name))), "no TYPE for " << s.name);
    out.push_back(s);
  }
  return out;
}

// The value of the first sample with this name and these labels (a subset); -1 if none.
inline double Value(const std::vector<Sample>& samples, const std::string& name,
             const std::map<std::string, std::string>& labels = {}) {
  for (const auto& s : samples) {
    if (s.name != name) continue;
    bool match = true;
    for (const auto& [k, v] : labels)
      if (!s.labels.count(k) || s.labels.at(k) != v) match = false;
    if (match) return s.value;
  }
  return -1;
}

}  // namespace dwtest
