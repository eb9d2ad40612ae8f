// Schema migrations, embedded in the binary and keyed on PRAGMA user_version.
#pragma once

#include <string_view>
#include <vector>

#include "base/status.h"
#include "db/sqlite.h"

namespace sambat::db {

// migrations[i] takes the schema from version i to version i + 1.
const std::vector<std::string_view>& Migrations();
inline int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<int> SchemaVersion(Connection* conn);

// Applies every missing migration in one transaction. A database whose version is newer than
// this binary knows is refused (FailedPrecondition) and left untouched.
Status Migrate(Connection* conn);

}  // namespace sambat::db
