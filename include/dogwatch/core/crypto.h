// Hashing for secrets that are stored: passwords (Argon2id) and high-entropy tokens (SHA-256).
// Backed by libsodium. Thread-safe after InitCrypto().
#pragma once

#include <string>
#include <string_view>

#include "dogwatch/core/result.h"

namespace dogwatch {

// Initializes libsodium. Idempotent; call once at start-up (also called lazily).
void InitCrypto();

// Lowercase hex SHA-256. Enough for API keys and session tokens: they carry 160+ random bits,
// so a slow hash would add nothing.
std::string Sha256Hex(std::string_view data);

// Argon2id in libsodium's self-describing string form ("$argon2id$v=19$m=...").
Result<std::string> HashPassword(std::string_view password);
bool VerifyPassword(std::string_view password, const std::string& stored_hash);

bool ConstantTimeEqual(std::string_view a, std::string_view b);

// Lowercase hex SHA-1: only where a compatible format demands it (Healthchecks' unique_key).
std::string Sha1Hex(std::string_view data);

// Healthchecks' stable public id of a check: SHA-1 of the first 16 hex digits of its UUID. Shown
// to read-only API keys and used as the dedup key of PagerDuty, Opsgenie and Pushover alerts.
std::string UniqueKeyOf(std::string_view uuid);

// Django's base64_hmac(salt, value, secret) with SHA-1: URL-safe base64 without padding of
// HMAC-SHA1(key=SHA1(salt + secret), value). Healthchecks signs badge URLs with it (reference §4.1).
std::string DjangoBase64Hmac(std::string_view salt, std::string_view value, std::string_view secret);

}  // namespace dogwatch
