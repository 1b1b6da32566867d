#include "dogwatch/web/assets.h"

#include <unordered_map>
#include <vector>

#include "web/embedded.h"

namespace dogwatch::web {
namespace {

std::string_view ContentTypeFor(std::string_view path) {
  struct Type {
    std::string_view ext, type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},                {".png", "image/png"},
      {".ico", "image/x-icon"},                 {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},    {".webmanifest", "application/manifest+json"},
  };
  for (const Type& t : kTypes) {
    if (path.size() >= t.ext.size() && path.substr(path.size() - t.ext.size()) == t.ext) return t.type;
  }
  return "application/octet-stream";
}

// Built once on first use; read-only afterwards (a function-local static is thread-safe).
const std::unordered_map<std::string_view, Asset>& Table() {
  static const auto table = [] {
    std::unordered_map<std::string_view, Asset> t;
    for (const auto& f : web_internal::EmbeddedFiles())
      t.emplace(f.path, Asset{f.path, ContentTypeFor(f.path), f.body, f.etag});
    return t;
  }();
  return table;
}

}  // namespace

const Asset* FindAsset(std::string_view path) {
  const auto& t = Table();
  auto it = t.find(path);
  return it == t.end() ? nullptr : &it->second;
}

}  // namespace dogwatch::web
