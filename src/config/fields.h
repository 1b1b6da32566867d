// The table of every config key: its section, name, type, how a value is validated and applied,
// and how it is printed back. One table drives the TOML file, environment variables, flags and
// `config check`, so the four cannot disagree. Private to the config module.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "dogwatch/config/config.h"

namespace dogwatch::config_internal {

enum class Type { kString, kInt, kBool, kDuration, kStringList };
const char* TypeName(Type t);

// A raw value, already of the field's TOML type; the field's apply() does the rest.
struct Value {
  std::string str;  // kString, kDuration
  int64_t num = 0;  // kInt
  bool flag = false;
  std::vector<std::string> list;
};

struct Field {
  const char* section;
  const char* key;
  Type type;
  // Validates and stores. The message names no location; the caller prefixes it.
  Status (*apply)(Config&, const Value&);
  // The current value as a TOML literal.
  std::string (*show)(const Config&);
};

std::span<const Field> Fields();
// The environment variable for a field: DOGWATCH_SERVER_LISTEN.
std::string EnvName(const Field& f);
// Parses text from an environment variable or flag into the field's type.
Result<Value> ValueFromText(const Field& f, std::string_view text);

}  // namespace dogwatch::config_internal
