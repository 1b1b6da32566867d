// Random identifiers and secrets from the kernel's CSPRNG (getrandom). Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dogwatch {

// Fills buf with cryptographically secure random bytes. Aborts if the kernel cannot supply them.
void RandomBytes(void* buf, size_t len);

// A random version-4 UUID, lowercase with dashes.
std::string NewUuid();
// True for a lowercase, dashed, 36-character UUID (the only form ping URLs accept).
bool IsCanonicalUuid(std::string_view text);

// `len` random characters from [A-Za-z0-9].
std::string RandomAlnum(size_t len);
// `len` random characters from the URL-safe base64 alphabet [A-Za-z0-9_-].
std::string RandomUrlSafe(size_t len);

// The first 8 characters of an id, for logs: check UUIDs are secrets (SPEC §12).
std::string_view ShortId(std::string_view id);

}  // namespace dogwatch
