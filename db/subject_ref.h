// How an erased author is named from then on: an irreversible, salted hash of platform and
// author id ("sha256:<hex>"). The audit log keeps it as the erasure's subject, and ingestion
// refuses new posts whose author hashes to an erased one, so an erased person's posts are not
// captured again from a platform that still shows them.
#pragma once

#include <string>

namespace sambat::db {

std::string SubjectRef(const std::string& salt, const std::string& platform, const std::string& author_id);

}  // namespace sambat::db
