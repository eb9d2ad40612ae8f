// `queue list --json`: drafts as a JSON array (a stable shape other tools read).
#pragma once

#include <string>
#include <vector>

#include "db/records.h"

namespace sambat::daemon {

// [{"id","status","kanal","platform_post_id","nama","alamat","pesan","opd_candidates":[...],
//   "opd","kecamatan","desa","url","missing_fields":[...],"created","sla_due","duplicate_group"}]
// Times are ISO 8601 UTC.
std::string DraftsToJson(const std::vector<db::DraftView>& drafts);

std::string IsoTime(int64_t unix_ms);

}  // namespace sambat::daemon
