// The API's JSON shapes of drafts: the queue item and the detail page's whole object.
#pragma once

#include <string>

#include "base/sop_clock.h"
#include "db/queue_store.h"
#include "web/api_json.h"

namespace sambat::web {

// Opens an object with the item fields and leaves it open (the detail adds more; the list
// closes it). Item: id, version, status, kanal, nama, alamat, cuplikan, opd, opd_candidates, kategori,
// kecamatan, desa, url, missing_fields, created, sla_due, duplicate_group, returned_by_opd.
void WriteDraftItem(JsonOut& j, const db::DraftView& d);
// {draft, post, match, group, audit, handoff, disposisi, sop}; see docs/api.md. The SOP
// timeline is computed for `now_ms` with `limits`.
std::string DraftDetailJson(const db::DraftDetail& d, const SopLimits& limits, int64_t now_ms);

// The post's text cut into pieces at the matched rules' spans (byte offsets on the original
// text), each piece with the ids of the rules covering it: the page highlights them without
// ever parsing HTML.
struct TextSegment {
  std::string text;
  std::vector<std::string> rules;
};
std::vector<TextSegment> SegmentsOf(const std::string& text, const std::string& rules_json);

}  // namespace sambat::web
