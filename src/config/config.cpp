#include "dogwatch/config/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "declared.h"
#include "fields.h"

extern char** environ;

namespace dogwatch {
namespace {

using config_internal::Field;
using config_internal::Fields;
using config_internal::Type;
using config_internal::Value;

std::string Where(const toml::source_region& src, std::string_view name) {
  return fmt::format("{}:{}:{}", name, src.begin.line, src.begin.column);
}

const char* TomlTypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date/time";
    case toml::node_type::none: return "nothing";
  }
  return "something else";
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// " (did you mean 'threads'?)" for a near miss, else "".
std::string Suggest(std::string_view word, const std::vector<std::string>& known) {
  std::string best;
  size_t best_d = 3;
  for (const auto& k : known) {
    size_t d = EditDistance(word, k);
    if (d < best_d) best_d = d, best = k;
  }
  return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

std::vector<std::string> Sections() {
  std::vector<std::string> out;
  for (const auto& f : Fields())
    if (std::find(out.begin(), out.end(), f.section) == out.end()) out.emplace_back(f.section);
  return out;
}

std::vector<std::string> KeysOf(std::string_view section) {
  std::vector<std::string> out;
  for (const auto& f : Fields())
    if (section == f.section) out.emplace_back(f.key);
  return out;
}

const Field* FindField(std::string_view section, std::string_view key) {
  for (const auto& f : Fields())
    if (section == f.section && key == f.key) return &f;
  return nullptr;
}

// Converts a TOML node to the field's raw value, or says what was expected.
Result<Value> ValueFromNode(const Field& f, const toml::node& n) {
  Value v;
  auto mismatch = [&] {
    return Fail(Errc::kInvalidArgument, "expected {}, got {}", config_internal::TypeName(f.type),
                TomlTypeName(n));
  };
  switch (f.type) {
    case Type::kString:
    case Type::kDuration:
      if (!n.is_string()) {
        if (f.type == Type::kDuration && n.is_integer())
          return Fail(Errc::kInvalidArgument, "expected a duration string like \"{}s\", got an integer",
                      n.as_integer()->get());
        return mismatch();
      }
      v.str = n.as_string()->get();
      return v;
    case Type::kInt:
      if (!n.is_integer()) return mismatch();
      v.num = n.as_integer()->get();
      return v;
    case Type::kBool:
      if (!n.is_boolean()) return mismatch();
      v.flag = n.as_boolean()->get();
      return v;
    case Type::kStringList:
      if (!n.is_array()) return mismatch();
      for (const auto& item : *n.as_array()) {
        if (!item.is_string())
          return Fail(Errc::kInvalidArgument, "expected an array of strings, found {} in it",
                      TomlTypeName(item));
        v.list.push_back(item.as_string()->get());
      }
      return v;
  }
  return mismatch();
}

// The keys of one section; a sub-table whose dotted name is a section ([server.tls]) recurses.
Status ApplySection(Config& config, const std::string& section, const toml::table& table,
                    std::string_view name) {
  auto keys = KeysOf(section);
  for (const auto& [key, node] : table) {
    std::string sub = section + "." + std::string(key.str());
    if (node.is_table() && !KeysOf(sub).empty()) {
      if (auto st = ApplySection(config, sub, *node.as_table(), name); !st) return st;
      continue;
    }
    const Field* f = FindField(section, key.str());
    if (!f) {
      return Fail(Errc::kInvalidArgument, "{}: unknown key '{}' in [{}]{}", Where(key.source(), name),
                  key.str(), section, Suggest(key.str(), keys));
    }
    auto value = ValueFromNode(*f, node);
    Status st = value ? f->apply(config, *value) : Status(value.error());
    if (!st) {
      return Fail(Errc::kInvalidArgument, "{}: {}.{}: {}", Where(node.source(), name), section,
                  key.str(), st.error().message);
    }
  }
  return Ok();
}

Status ApplyTable(Config& config, const toml::table& root, std::string_view name) {
  for (const auto& [section_key, section_node] : root) {
    std::string_view section = section_key.str();
    if (config_internal::IsDeclaredSection(section)) continue;  // ParseDeclared, below
    if (KeysOf(section).empty()) {
      return Fail(Errc::kInvalidArgument, "{}: unknown section [{}]{}", Where(section_key.source(), name),
                  section, Suggest(section, Sections()));
    }
    const toml::table* table = section_node.as_table();
    if (!table) {
      return Fail(Errc::kInvalidArgument, "{}: [{}] must be a table, got {}",
                  Where(section_key.source(), name), section, TomlTypeName(section_node));
    }
    if (auto st = ApplySection(config, std::string(section), *table, name); !st) return st;
  }
  return config_internal::ParseDeclared(root, name, config.declared);
}

// Settings that only make sense together, checked once every source has been applied.
Status CheckCombinations(const Config& config) {
  const TlsConfig& tls = config.server.tls;
  if (tls.enabled() && (tls.cert_file.empty() || tls.key_file.empty())) {
    return Fail(Errc::kInvalidArgument, "{}: server.tls.{}: missing; [server.tls] needs both cert_file and key_file",
                config.source, tls.cert_file.empty() ? "cert_file" : "key_file");
  }
  return Ok();
}

Status ApplyText(Config& config, std::string_view toml_text, std::string_view name) {
  if (toml_text.find('\0') != std::string_view::npos)
    return Fail(Errc::kInvalidArgument, "{}: contains a NUL byte; not a TOML file", name);
  try {
    toml::table root = toml::parse(toml_text, name);
    return ApplyTable(config, root, name);
  } catch (const toml::parse_error& e) {
    return Fail(Errc::kInvalidArgument, "{}: {}", Where(e.source(), name), e.description());
  }
}

Status ApplyOverride(Config& config, const Field& f, std::string_view text, std::string_view origin) {
  auto value = config_internal::ValueFromText(f, text);
  Status st = value ? f.apply(config, *value) : Status(value.error());
  if (!st) return Fail(Errc::kInvalidArgument, "{}: {}", origin, st.error().message);
  return Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Fail(Errc::kInvalidArgument, "{}: cannot read config file: {}", path,
                access(path.c_str(), F_OK) == 0 ? "permission denied" : "no such file");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Fail(Errc::kInvalidArgument, "{}: cannot read config file", path);
  return ss.str();
}

std::string DefaultPath() {
  for (const char* candidate : {"./dogwatch.toml", "/etc/dogwatch/dogwatch.toml"})
    if (access(candidate, F_OK) == 0) return candidate;
  return "";
}

}  // namespace

std::map<std::string, std::string> EnvironmentVars() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("DOGWATCH_", 0) != 0) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

Result<Config> ParseConfigText(std::string_view toml_text, std::string_view name) {
  Config config;
  config.source = std::string(name);
  if (auto st = ApplyText(config, toml_text, name); !st) return st.error();
  if (auto st = CheckCombinations(config); !st) return st.error();
  return config;
}

Result<Config> LoadConfig(const LoadOptions& options) {
  Config config;
  config.source = "(embedded defaults)";
  std::string path = options.path.empty() ? DefaultPath() : options.path;
  if (!path.empty()) {
    auto text = ReadFile(path);
    if (!text) return text.error();
    if (auto st = ApplyText(config, *text, path); !st) return st.error();
    config.source = path;
  }
  for (const auto& f : Fields()) {
    auto it = options.env.find(config_internal::EnvName(f));
    if (it == options.env.end()) continue;
    if (auto st = ApplyOverride(config, f, it->second, it->first); !st) return st.error();
  }
  for (const auto& [dotted, text] : options.flags) {
    auto dot = dotted.rfind('.');  // "server.tls.cert_file": section "server.tls"
    const Field* f = dot == std::string::npos ? nullptr
                                              : FindField(std::string_view(dotted).substr(0, dot),
                                                          std::string_view(dotted).substr(dot + 1));
    if (!f) return Fail(Errc::kInvalidArgument, "unknown setting '{}'", dotted);
    std::string origin = fmt::format("--{}", f->key);
    std::replace(origin.begin(), origin.end(), '_', '-');
    if (auto st = ApplyOverride(config, *f, text, origin); !st) return st.error();
  }
  if (auto st = CheckCombinations(config); !st) return st.error();
  return config;
}

std::string RenderConfig(const Config& config) {
  std::string out = fmt::format("# effective configuration; source: {}\n", config.source);
  const char* section = "";
  for (const auto& f : Fields()) {
    if (std::string_view(section) != f.section) {
      section = f.section;
      out += fmt::format("\n[{}]\n", section);
    }
    out += fmt::format("{} = {}\n", f.key, f.show(config));
  }
  return out;
}

}  // namespace dogwatch
