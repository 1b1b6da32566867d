#include "request_head.h"

namespace dogwatch::http_internal {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool SpaceOrTab(char c) { return c == ' ' || c == '\t'; }

// METHOD SP TARGET SP VERSION, nothing else: cpp-httplib splits on runs of spaces and trims
// tabs, so only this form is certain to read the same in both parsers.
bool ParseRequestLine(std::string_view line, RequestHead& head) {
  for (char c : line)
    if (static_cast<unsigned char>(c) < 0x21 && c != ' ') return false;  // controls, NUL, tab
  size_t a = line.find(' ');
  if (a == std::string_view::npos) return false;
  size_t b = line.find(' ', a + 1);
  if (b == std::string_view::npos || line.find(' ', b + 1) != std::string_view::npos) return false;
  head.method = line.substr(0, a);
  head.target = line.substr(a + 1, b - a - 1);
  head.version = line.substr(b + 1);
  return !head.method.empty() && !head.target.empty() && !head.version.empty();
}

// One field line without its CRLF, trimmed as cpp-httplib's parse_header() trims it: trailing
// spaces and tabs off the line, the name up to the first ':', leading spaces and tabs off the
// value. A line with no ':' or an empty value is dropped, as there.
void AddField(std::string_view line, RequestHead& head) {
  while (!line.empty() && SpaceOrTab(line.back())) line.remove_suffix(1);
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && SpaceOrTab(value.front())) value.remove_prefix(1);
  if (value.empty()) return;
  head.fields.push_back({line.substr(0, colon), value});
}

HeadStatus ParseComplete(std::string_view buf, size_t line_end, size_t head_end,
                         RequestHead& head) {
  head.fields.clear();
  if (!ParseRequestLine(buf.substr(0, line_end - 2), head)) return HeadStatus::kUnusual;
  size_t pos = line_end;
  while (pos + 2 < head_end) {
    size_t nl = buf.find('\n', pos);
    AddField(buf.substr(pos, nl - 1 - pos), head);
    pos = nl + 1;
  }
  head.size = head_end;
  return HeadStatus::kComplete;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

const std::string_view* RequestHead::Find(std::string_view name) const {
  for (const auto& f : fields)
    if (EqualsIgnoreCase(f.name, name)) return &f.value;
  return nullptr;
}

HeadStatus ParseRequestHead(std::string_view buf, size_t& scanned, RequestHead& head) {
  // Where the request line ends (just past its LF), once it is complete.
  size_t line_end = scanned == 0 ? 0 : buf.find('\n') + 1;
  size_t pos = scanned;
  for (;;) {
    size_t nl = buf.find('\n', pos);
    if (nl == std::string_view::npos) break;
    // A bare LF: cpp-httplib skips such field lines and refuses such request lines.
    if (nl == pos || buf[nl - 1] != '\r') return HeadStatus::kUnusual;
    size_t len = nl + 1 - pos;
    if (pos == 0) {
      if (len > kMaxRequestLineBytes) return HeadStatus::kUriTooLong;
      if (len == 2) return HeadStatus::kUnusual;  // an empty line before the request line
      line_end = nl + 1;
    } else {
      if (nl + 1 - line_end > kMaxHeaderBytes) return HeadStatus::kHeadersTooLarge;
      if (len == 2) return ParseComplete(buf, line_end, nl + 1, head);
    }
    pos = nl + 1;
  }
  scanned = pos;
  // Refuse as soon as the limit is certain to be passed, not when the client finishes.
  if (line_end == 0) {
    if (buf.size() >= kMaxRequestLineBytes) return HeadStatus::kUriTooLong;
  } else if (buf.size() - line_end >= kMaxHeaderBytes) {
    return HeadStatus::kHeadersTooLarge;
  }
  return HeadStatus::kIncomplete;
}

}  // namespace dogwatch::http_internal
