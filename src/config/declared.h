// Parsing of the declarative [[project]], [[channel]] and [[check]] tables. Private to config.
#pragma once

#include <toml++/toml.h>

#include <string_view>

#include "dogwatch/config/config.h"

namespace dogwatch::config_internal {

bool IsDeclaredSection(std::string_view section);
// Fills `out` from the root table's declarative sections; errors name file:line:col.
Status ParseDeclared(const toml::table& root, std::string_view file, Declared& out);

}  // namespace dogwatch::config_internal
