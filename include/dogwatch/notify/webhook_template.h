// Healthchecks' webhook template variables and substitution rules (reference §6.4): $CODE,
// $STATUS, $NOW, $NAME, $NAME_JSON, $SLUG, $TAGS, $TAG1.., $JSON, $BODY, $BODY_JSON, $EXITSTATUS.
// Split on '$', replace at most one placeholder at the start of each segment, longest name first
// ($NAME_JSON before $NAME), never re-expand substituted text. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "dogwatch/notify/alert.h"

namespace dogwatch {

enum class TemplateField {
  kUrl,     // $NOW $NAME $NAME_JSON $TAGS $JSON $TAGn percent-encoded; $BODY* left as written
  kHeader,  // everything but $BODY*; the result coerced to Latin-1 (others become &#NNN;)
  kBody,    // everything, $BODY and $BODY_JSON included
};

std::string ExpandTemplate(std::string_view text, const Alert& alert, TemplateField field);

}  // namespace dogwatch
