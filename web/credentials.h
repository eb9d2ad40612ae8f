// Passwords and API tokens: Argon2id hashes (libsodium's encoded form) for passwords, and
// random bearer tokens stored only as SHA-256. REQUIRES: sodium_init() was called.
#pragma once

#include <optional>
#include <string>

#include "base/status.h"

namespace sambat::web {

// Refuses passwords under 10 characters (the message says so, in Bahasa Indonesia).
Result<std::string> HashPassword(const std::string& password);
bool VerifyPassword(const std::string& encoded_hash, const std::string& password);

// A new bearer token (43 URL-safe characters, 256 random bits) and the hash to store.
struct NewToken {
  std::string token, sha256_hex;
};
NewToken MakeApiToken();
std::string Sha256Hex(const std::string& data);

}  // namespace sambat::web
