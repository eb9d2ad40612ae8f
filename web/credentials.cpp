#include "web/credentials.h"

#include <sodium.h>

namespace sambat::web {

Result<std::string> HashPassword(const std::string& password) {
  if (password.size() < 10) return Status::InvalidArgument("Kata sandi minimal 10 karakter.");
  char out[crypto_pwhash_STRBYTES];
  // crypto_pwhash_str is Argon2id in libsodium 1.0.15 and later.
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Internal("out of memory while hashing the password");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& encoded_hash, const std::string& password) {
  return crypto_pwhash_str_verify(encoded_hash.c_str(), password.data(), password.size()) == 0;
}

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

NewToken MakeApiToken() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  NewToken t;
  t.token = b64;
  t.sha256_hex = Sha256Hex(t.token);
  return t;
}

}  // namespace sambat::web
