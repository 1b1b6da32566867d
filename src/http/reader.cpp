#include "reader.h"

namespace dogwatch::http_internal {

Result<Store*> ThreadReader(const std::string& path) {
  thread_local std::unique_ptr<Store> reader;
  if (reader && reader->path() == path) return reader.get();
  auto opened = Store::Open({.path = path, .mode = OpenMode::kReadOnly});
  if (!opened) return opened.error();
  reader = std::move(*opened);
  return reader.get();
}

}  // namespace dogwatch::http_internal
