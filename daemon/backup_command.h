// `sambatd backup PATH`: a consistent copy of the database while the daemon runs.
#pragma once

#include <string>

namespace sambat::daemon {

// Refuses an existing PATH; writes PATH.tmp, checks it, then renames it into place.
int Backup(const std::string& config_path, const std::string& dest);

}  // namespace sambat::daemon
