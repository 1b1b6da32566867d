#include "dogwatch/core/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cstdlib>
#include <mutex>

namespace dogwatch {

void InitCrypto() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();  // no usable randomness: nothing is safe to do
  });
}

std::string Sha256Hex(std::string_view data) {
  InitCrypto();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Result<std::string> HashPassword(std::string_view password) {
  InitCrypto();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Fail(Errc::kInternal, "password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& stored_hash) {
  InitCrypto();
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

std::string Sha1Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string UniqueKeyOf(std::string_view uuid) {
  std::string hex;
  for (char c : uuid)
    if (c != '-') hex.push_back(c);
  return Sha1Hex(hex.substr(0, 16));
}

std::string DjangoBase64Hmac(std::string_view salt, std::string_view value, std::string_view secret) {
  InitCrypto();
  // Django's salted_hmac: key = SHA1(salt + secret); then HMAC-SHA1(key, value).
  std::string salted = std::string(salt) + std::string(secret);
  unsigned char key[EVP_MAX_MD_SIZE];
  unsigned int key_len = 0;
  EVP_Digest(salted.data(), salted.size(), key, &key_len, EVP_sha1(), nullptr);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), key, static_cast<int>(key_len), reinterpret_cast<const unsigned char*>(value.data()),
       value.size(), mac, &mac_len);
  char b64[64];
  sodium_bin2base64(b64, sizeof b64, mac, mac_len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return b64;
}

}  // namespace dogwatch
