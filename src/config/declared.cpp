// [[project]], [[check]] and [[channel]] tables: config as code (SPEC §9). This file checks what
// can be checked from the file alone (keys, types, slugs, duplicates, references between tables,
// *_file secrets); schedules and channel settings are checked by the app before reconciling,
// with the same location in every message.
#include "declared.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "dogwatch/core/duration.h"

namespace dogwatch::config_internal {
namespace {

std::string Where(const toml::source_region& src, std::string_view name) {
  return fmt::format("{}:{}:{}", name, src.begin.line, src.begin.column);
}

Error At(const toml::node& n, std::string_view file, std::string message) {
  return Error{Errc::kInvalidArgument, fmt::format("{}: {}", Where(n.source(), file), message)};
}

bool ValidSlug(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

// The table's key as a string; kInvalidArgument naming it when absent or not a string.
Result<std::string> StringKey(const toml::table& t, const char* table_name, const char* key, std::string_view file,
                              bool required) {
  const toml::node* n = t.get(key);
  if (!n) {
    if (required) return At(t, file, fmt::format("[[{}]] needs {} = \"...\"", table_name, key));
    return std::string();
  }
  if (!n->is_string()) return At(*n, file, fmt::format("{}.{}: expected a string", table_name, key));
  return n->as_string()->get();
}

Result<std::string> ReadSecretFile(const toml::node& n, std::string_view file, const std::string& key) {
  if (!n.is_string()) return At(n, file, fmt::format("channel.{}: expected a file path", key));
  const std::string path = n.as_string()->get();
  std::ifstream in(path, std::ios::binary);
  if (!in) return At(n, file, fmt::format("channel.{}: cannot read {}", key, path));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

Result<nlohmann::json> ToJson(const toml::node& n, std::string_view file, const std::string& key) {
  if (auto s = n.as_string()) return nlohmann::json(s->get());
  if (auto i = n.as_integer()) return nlohmann::json(i->get());
  if (auto b = n.as_boolean()) return nlohmann::json(b->get());
  if (auto f = n.as_floating_point()) return nlohmann::json(f->get());
  if (auto a = n.as_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : *a) {
      auto v = ToJson(item, file, key);
      if (!v) return v.error();
      out.push_back(*v);
    }
    return out;
  }
  if (auto t = n.as_table()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : *t) {
      auto j = ToJson(v, file, key + "." + std::string(k.str()));
      if (!j) return j.error();
      out[std::string(k.str())] = *j;
    }
    return out;
  }
  return At(n, file, fmt::format("channel.{}: dates and times are not channel settings", key));
}

using Tables = std::vector<const toml::table*>;

Result<Tables> TablesOf(const toml::node& node, std::string_view section, std::string_view file) {
  const toml::array* arr = node.as_array();
  if (!arr || !arr->is_array_of_tables())
    return At(node, file, fmt::format("{0}: write it as [[{0}]] tables", section));
  Tables out;
  for (const auto& item : *arr) out.push_back(item.as_table());
  return out;
}

Status CheckKeys(const toml::table& t, const char* table_name, std::initializer_list<std::string_view> known,
                 std::string_view file) {
  for (const auto& [k, v] : t) {
    bool ok = false;
    for (auto name : known) ok = ok || k.str() == name;
    if (!ok) {
      std::string list;
      for (auto name : known) list += fmt::format("{}{}", list.empty() ? "" : ", ", name);
      return Error{Errc::kInvalidArgument, fmt::format("{}: unknown key '{}' in [[{}]] (known: {})",
                                                       Where(k.source(), file), k.str(), table_name, list)};
    }
  }
  return Ok();
}

// The project a check or channel belongs to: its `project` key, or the only declared project.
Result<std::string> ProjectOf(const toml::table& t, const char* table_name, const Declared& d, std::string_view file) {
  auto p = StringKey(t, table_name, "project", file, false);
  if (!p) return p.error();
  if (p->empty()) {
    if (d.projects.size() == 1) return d.projects[0].name;
    return At(t, file, fmt::format("[[{}]] needs project = \"...\" (the name of a [[project]])", table_name));
  }
  for (const auto& dp : d.projects)
    if (dp.name == *p) return *p;
  return At(*t.get("project"), file, fmt::format("{}.project: no [[project]] named '{}' in this file", table_name, *p));
}

Status ParseProjects(const Tables& tables, std::string_view file, Declared& d) {
  std::set<std::string> seen;
  for (const toml::table* t : tables) {
    if (auto st = CheckKeys(*t, "project", {"name"}, file); !st) return st;
    auto name = StringKey(*t, "project", "name", file, true);
    if (!name) return name.error();
    if (name->empty() || name->size() > 100) return At(*t, file, "project.name: expected 1 to 100 characters");
    if (!seen.insert(*name).second) return At(*t, file, fmt::format("project '{}' is declared twice", *name));
    d.projects.push_back({*name, Where(t->source(), file)});
  }
  return Ok();
}

Status ParseChannels(const Tables& tables, std::string_view file, Declared& d) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const toml::table* t : tables) {
    DeclaredChannel c;
    c.where = Where(t->source(), file);
    auto project = ProjectOf(*t, "channel", d, file);
    if (!project) return project.error();
    c.project = *project;
    auto name = StringKey(*t, "channel", "name", file, true);
    if (!name) return name.error();
    if (name->empty()) return At(*t, file, "channel.name: expected a name");
    c.name = *name;
    auto kind = StringKey(*t, "channel", "kind", file, true);
    if (!kind) return kind.error();
    c.kind = *kind;
    if (!seen.insert({c.project, c.name}).second)
      return At(*t, file, fmt::format("channel '{}' is declared twice in project '{}'", c.name, c.project));
    nlohmann::json value = nlohmann::json::object();
    for (const auto& [k, v] : *t) {
      std::string key(k.str());
      if (key == "project" || key == "name" || key == "kind") continue;
      if (key.size() > 5 && key.ends_with("_file")) {
        auto secret = ReadSecretFile(v, file, key);
        if (!secret) return secret.error();
        value[key.substr(0, key.size() - 5)] = *secret;
        continue;
      }
      auto j = ToJson(v, file, key);
      if (!j) return j.error();
      value[key] = *j;
    }
    c.value_json = value.dump();
    d.channels.push_back(std::move(c));
  }
  return Ok();
}

Result<std::chrono::seconds> DurationKey(const toml::table& t, const char* key, std::string_view file,
                                         std::chrono::seconds fallback) {
  const toml::node* n = t.get(key);
  if (!n) return fallback;
  if (auto i = n->as_integer()) return std::chrono::seconds(i->get());
  if (!n->is_string()) return At(*n, file, fmt::format("check.{}: expected a duration such as \"1h\" or seconds", key));
  auto d = ParseDuration(n->as_string()->get());
  if (!d) return At(*n, file, fmt::format("check.{}: {}", key, d.error().message));
  return *d;
}

Result<bool> BoolKey(const toml::table& t, const char* key, std::string_view file) {
  const toml::node* n = t.get(key);
  if (!n) return false;
  if (!n->is_boolean()) return At(*n, file, fmt::format("check.{}: expected true or false", key));
  return n->as_boolean()->get();
}

Status ParseChecks(const Tables& tables, std::string_view file, Declared& d) {
  std::map<std::pair<std::string, std::string>, std::string> seen;  // (project, slug) -> where
  for (const toml::table* t : tables) {
    if (auto st = CheckKeys(*t, "check",
                            {"project", "slug", "name", "tags", "desc", "timeout", "grace", "schedule", "oncalendar",
                             "tz", "methods", "manual_resume", "start_kw", "success_kw", "failure_kw",
                             "filter_http_body", "filter_default_fail", "channels"},
                            file);
        !st)
      return st;
    DeclaredCheck c;
    c.where = Where(t->source(), file);
    auto project = ProjectOf(*t, "check", d, file);
    if (!project) return project.error();
    c.project = *project;
    auto slug = StringKey(*t, "check", "slug", file, true);
    if (!slug) return slug.error();
    if (!ValidSlug(*slug))
      return At(*t->get("slug"), file, "check.slug: expected lower-case letters, digits, - and _ (1 to 100)");
    c.slug = *slug;
    auto [it, fresh] = seen.emplace(std::pair{c.project, c.slug}, c.where);
    if (!fresh)
      return At(*t, file, fmt::format("check slug '{}' is declared twice in project '{}' (first at {})", c.slug,
                                      c.project, it->second));
    for (auto [key, field] : {std::pair{"name", &c.name}, {"desc", &c.desc}, {"tz", &c.tz}, {"methods", &c.methods},
                              {"start_kw", &c.start_kw}, {"success_kw", &c.success_kw},
                              {"failure_kw", &c.failure_kw}}) {
      auto v = StringKey(*t, "check", key, file, false);
      if (!v) return v.error();
      if (t->get(key)) *field = *v;
    }
    if (c.name.empty()) c.name = c.slug;
    if (c.methods != "" && c.methods != "POST") return At(*t->get("methods"), file, "check.methods: expected \"\" or \"POST\"");
    if (const toml::node* tags = t->get("tags")) {
      if (auto s = tags->as_string()) {
        c.tags = s->get();
      } else if (auto a = tags->as_array()) {
        for (const auto& item : *a) {
          if (!item.is_string()) return At(item, file, "check.tags: expected strings");
          c.tags += (c.tags.empty() ? "" : " ") + item.as_string()->get();
        }
      } else {
        return At(*tags, file, "check.tags: expected a list of strings or a space-separated string");
      }
    }
    const bool cron = t->get("schedule") != nullptr, oncalendar = t->get("oncalendar") != nullptr;
    if (cron && oncalendar) return At(*t, file, "check: give schedule (cron) or oncalendar, not both");
    if (cron || oncalendar) {
      if (t->get("timeout")) return At(*t->get("timeout"), file, "check.timeout: a scheduled check has no timeout");
      auto expr = StringKey(*t, "check", cron ? "schedule" : "oncalendar", file, true);
      if (!expr) return expr.error();
      c.kind = cron ? "cron" : "oncalendar";
      c.schedule = *expr;
    }
    auto timeout = DurationKey(*t, "timeout", file, c.timeout);
    if (!timeout) return timeout.error();
    c.timeout = *timeout;
    auto grace = DurationKey(*t, "grace", file, c.grace);
    if (!grace) return grace.error();
    c.grace = *grace;
    for (auto [key, field] : {std::pair{"manual_resume", &c.manual_resume}, {"filter_http_body", &c.filter_http_body},
                              {"filter_default_fail", &c.filter_default_fail}}) {
      auto v = BoolKey(*t, key, file);
      if (!v) return v.error();
      *field = *v;
    }
    if (const toml::node* ch = t->get("channels")) {
      const toml::array* a = ch->as_array();
      if (!a) return At(*ch, file, "check.channels: expected a list of [[channel]] names");
      for (const auto& item : *a) {
        if (!item.is_string()) return At(item, file, "check.channels: expected channel names");
        const std::string name = item.as_string()->get();
        bool found = false;
        for (const auto& dc : d.channels) found = found || (dc.project == c.project && dc.name == name);
        if (!found)
          return At(item, file, fmt::format("check.channels: no [[channel]] named '{}' in project '{}'", name, c.project));
        c.channels.push_back(name);
      }
    }
    d.checks.push_back(std::move(c));
  }
  return Ok();
}

}  // namespace

bool IsDeclaredSection(std::string_view section) {
  return section == "project" || section == "check" || section == "channel";
}

Status ParseDeclared(const toml::table& root, std::string_view file, Declared& out) {
  Declared d;
  // Projects first, then channels, then checks: each may refer to what came before.
  for (const char* section : {"project", "channel", "check"}) {
    const toml::node* node = root.get(section);
    if (!node) continue;
    auto tables = TablesOf(*node, section, file);
    if (!tables) return tables.error();
    Status st = std::string_view(section) == "project" ? ParseProjects(*tables, file, d)
                : std::string_view(section) == "channel" ? ParseChannels(*tables, file, d)
                                                         : ParseChecks(*tables, file, d);
    if (!st) return st;
  }
  out = std::move(d);
  return Ok();
}

}  // namespace dogwatch::config_internal
