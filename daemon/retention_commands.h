// `sambatd purge` and `sambatd subject export|erase`: retention and the data subject's rights
// (UU 27/2022), for the operator. Messages in Bahasa Indonesia.
#pragma once

#include <string>

#include "db/retention_store.h"

namespace sambat::daemon {

// Deletes what is older than the configured retention (or, dry, only says what would go).
int Purge(const std::string& config_path, bool dry_run);

// Prints everything stored about one author as JSON on stdout; audited.
int SubjectExport(const std::string& config_path, const db::Subject& subject);

// Deletes everything stored about one author; refuses (exit 2) without `yes`. Audited by a
// hash of the author id, never the id itself.
int SubjectErase(const std::string& config_path, const db::Subject& subject, bool yes, bool vacuum);

// "1.234": thousands separated by dots, as Indonesian writes them.
std::string FormatCount(int64_t n);

// The operator's summary of a purge: "Akan dihapus: …" (dry) or "Dihapus: …".
std::string PurgeSummary(const db::PurgeCounts& counts, const db::RetentionPolicy& policy, bool dry_run);

// "sha256:" + hex of SHA-256(salt, platform, author id): names an erased or exported subject in
// the audit log without their id. REQUIRES: sodium_init() succeeded.
std::string SubjectRef(const std::string& salt, const db::Subject& subject);

}  // namespace sambat::daemon
