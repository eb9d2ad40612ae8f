#include "db/subject_ref.h"

#include <sodium.h>

namespace sambat::db {

std::string SubjectRef(const std::string& salt, const std::string& platform, const std::string& author_id) {
  if (sodium_init() < 0) return "";  // idempotent; libsodium wants it before any use
  // Separators between the parts: ("x", "12") and ("x1", "2") hash differently.
  const std::string input = salt + '\n' + platform + '\n' + author_id;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string("sha256:") + hex;
}

}  // namespace sambat::db
