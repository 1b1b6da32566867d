// Small text helpers shared by the cron and OnCalendar parsers. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dogwatch::schedule {

// The longest expression the engine parses; a check allows far less (kMaxCheckExpression).
inline constexpr size_t kMaxExpressionLength = 1024;

// Splits on ASCII whitespace (space, tab, newline, CR, VT, FF); no empty parts.
std::vector<std::string_view> SplitWhitespace(std::string_view text);
// Splits on `sep`, keeping empty parts.
std::vector<std::string_view> Split(std::string_view text, char sep);
std::string ToUpper(std::string_view text);
std::string ToLower(std::string_view text);
bool AllDigits(std::string_view text);  // non-empty, ASCII 0-9 only
// The value of a non-empty run of ASCII digits; values above 99999 become 99999 (every field
// rejects them anyway, and this keeps huge inputs from overflowing).
std::optional<int> ParseDigits(std::string_view text);
// `text` for an error message: control and non-ASCII bytes as \xNN, cut after 40 characters.
std::string Printable(std::string_view text);

}  // namespace dogwatch::schedule
