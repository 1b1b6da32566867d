// The web UI's files (web/ in the source tree), embedded in the binary at build time so the UI
// needs nothing but the executable. Immutable data: thread-safe.
#pragma once

#include <string_view>

namespace dogwatch::web {

struct Asset {
  std::string_view path;          // "/index.html", "/static/app.js"
  std::string_view content_type;  // from the extension, with charset for text
  std::string_view body;
  std::string_view etag;          // strong, quoted: a hash of the body
};

// nullptr when no such file was embedded.
const Asset* FindAsset(std::string_view path);

}  // namespace dogwatch::web
