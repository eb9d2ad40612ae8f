// The recap as JSON: the shape of GET /api/v1/rekap and `sambatd recap --format json`
// (docs/api.md). Codes, not labels: the page and other tools label them.
#pragma once

#include <string>

#include "db/recap.h"

namespace sambat::recap {

// {"month","period":{"start","end","days","timezone"},"generated_at","totals":{total,pending,
//  confirmed,returned,rejected,duplicate},"returned_by_opd","capture_to_confirm":{count,
//  median_ms,p90_ms},"by_opd"|"by_kanal"|"by_kategori"|"by_kecamatan":[{"key",total,...}],
//  "by_status":[{"status","count"}],"sla":[{"stage","limit_ms","met","late","open"}],
//  "top_locations":[{"kecamatan","desa","count"}],"daily":[{"date","captured","confirmed"}]}
std::string RecapToJson(const db::Recap& recap);

}  // namespace sambat::recap
