// The table the build generates from web/ (cmake/EmbedAssets.cmake). Private to the web module.
#pragma once

#include <string_view>
#include <vector>

namespace dogwatch::web_internal {

struct EmbeddedFile {
  std::string_view path;  // "/index.html", "/static/app.js"
  std::string_view body;
  std::string_view etag;  // quoted, as the ETag header carries it
};

const std::vector<EmbeddedFile>& EmbeddedFiles();

}  // namespace dogwatch::web_internal
